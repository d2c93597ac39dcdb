extension QRCode {
    /// The QR code as a standalone SVG 1.1 document: a white square and one black `<path>` of
    /// the dark modules (each row's runs merged), with `shape-rendering="crispEdges"`.
    ///
    /// The `viewBox` is in modules (`0 0 n n` with `n = size + 2 * border`), so the image scales
    /// cleanly; `width` and `height` are `n * scale` (CSS pixels). Only ASCII, no scripts, no
    /// external references: safe to inline in HTML or serve as `image/svg+xml`.
    ///
    /// - Parameters:
    ///   - scale: Pixels per module for `width` and `height`, in ``allowedScales``; default 8.
    ///   - border: Quiet zone in modules, in ``allowedBorders``; default 4.
    ///   Values out of range are programming errors and trap.
    /// - Returns: The SVG text, starting with an XML declaration.
    public func svg(scale: Int = 8, border: Int = 4) -> String {
        precondition(Self.allowedScales.contains(scale), "QR scale \(scale) outside \(Self.allowedScales)")
        precondition(Self.allowedBorders.contains(border), "QR border \(border) outside \(Self.allowedBorders)")
        let extent = size + 2 * border
        let pixels = extent * scale
        var path = ""
        for row in 0..<size {
            var column = 0
            while column < size {
                guard modules[row][column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < size, modules[row][column] { column += 1 }
                let run = column - start
                path += "M\(start + border),\(row + border)h\(run)v1h-\(run)z"
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(extent) \(extent)" shape-rendering="crispEdges">
            <rect width="\(extent)" height="\(extent)" fill="#ffffff"/>
            <path fill="#000000" d="\(path)"/>
            </svg>

            """
    }
}
