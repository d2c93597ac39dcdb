import CPNG

extension QRCode {
    /// The QR code as a 1-bit grayscale PNG: black modules on white, a quiet zone of `border`
    /// modules, each module `scale` pixels square.
    ///
    /// The image is `(size + 2 * border) * scale` pixels square, written by libpng into memory
    /// (about 1 KB for an enrolment URI at the defaults).
    ///
    /// - Parameters:
    ///   - scale: Pixels per module, in ``allowedScales``; default 8.
    ///   - border: Quiet zone in modules, in ``allowedBorders``; default 4 (the standard's).
    /// - Returns: The PNG file's bytes.
    /// - Throws: ``QRCodeError/invalidArgument(_:)`` for a scale or border out of range;
    ///   ``QRCodeError/pngFailure(_:)`` when libpng fails (out of memory).
    public func pngData(scale: Int = 8, border: Int = 4) throws(QRCodeError) -> [UInt8] {
        try Self.checkLayout(scale: scale, border: border)
        let pixels = (size + 2 * border) * scale
        let rowBytes = (pixels + 7) / 8
        // 1-bit gray: 8 pixels a byte, most significant bit first; 1 is white. Start all white.
        var rows = [UInt8](repeating: 0xFF, count: rowBytes * pixels)
        for moduleRow in 0..<(size + 2 * border) {
            for moduleColumn in 0..<(size + 2 * border) where isDark(row: moduleRow, column: moduleColumn, border: border) {
                for y in (moduleRow * scale)..<((moduleRow + 1) * scale) {
                    for x in (moduleColumn * scale)..<((moduleColumn + 1) * scale) {
                        rows[y * rowBytes + x / 8] &= ~(0x80 >> UInt8(x % 8))
                    }
                }
            }
        }
        var buffer = mfad_png_buffer()
        let status = rows.withUnsafeBufferPointer { input in
            mfad_png_write_gray(input.baseAddress, UInt32(pixels), UInt32(pixels), rowBytes, 1, &buffer)
        }
        defer { mfad_png_buffer_free(&buffer) }
        guard status == 0, let data = buffer.data, buffer.length > 0 else {
            let message = withUnsafeBytes(of: buffer.error_message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw .pngFailure(message.isEmpty ? "unknown error" : message)
        }
        return Array(UnsafeBufferPointer(start: data, count: buffer.length))
    }
}
