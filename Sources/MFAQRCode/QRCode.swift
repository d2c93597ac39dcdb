import CQRencode

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A QR code (ISO/IEC 18004) of a text, as a matrix of modules, made with libqrencode.
///
/// Used for the `otpauth://` URI of TOTP enrolment (SPEC 2.2). Render it with
/// ``pngData(scale:border:)``, ``svg(scale:border:)`` or ``terminalText(border:background:)``.
/// The smallest version that fits is chosen; the text is split into numeric, alphanumeric and
/// 8-bit segments as libqrencode sees fit (case-sensitive), which every reader decodes back to
/// the same bytes.
public struct QRCode: Sendable, Hashable {
    /// How much of the symbol can be damaged and still read (and how much larger it gets).
    public enum ErrorCorrection: Sendable, Hashable, CaseIterable {
        /// About 7 % recoverable.
        case low
        /// About 15 % recoverable: the usual choice for screens.
        case medium
        /// About 25 % recoverable.
        case quartile
        /// About 30 % recoverable.
        case high

        var level: QRecLevel {
            switch self {
            case .low: return QR_ECLEVEL_L
            case .medium: return QR_ECLEVEL_M
            case .quartile: return QR_ECLEVEL_Q
            case .high: return QR_ECLEVEL_H
            }
        }
    }

    /// The QR version (1...40); the side is `17 + 4 * version` modules.
    public let version: Int
    /// The error correction level used.
    public let errorCorrection: ErrorCorrection
    /// The modules, row by row from the top, each row from the left; `true` is dark.
    /// Square: `modules.count == size` and every row has `size` entries. No quiet zone.
    public let modules: [[Bool]]

    /// Modules per side (21 for version 1 ... 177 for version 40).
    public var size: Int { modules.count }

    /// Encodes `text` (its UTF-8 bytes) into the smallest QR code that holds it.
    ///
    /// - Parameters:
    ///   - text: The text, e.g. an `otpauth://` URI. Not empty.
    ///   - errorCorrection: The error correction level; default ``ErrorCorrection/medium``.
    /// - Throws: ``QRCodeError/emptyText`` for an empty text; ``QRCodeError/textTooLong(byteCount:)``
    ///   when it does not fit in version 40; ``QRCodeError/encodingFailed(errno:)`` when
    ///   libqrencode fails otherwise (out of memory).
    public init(text: String, errorCorrection: ErrorCorrection = .medium) throws(QRCodeError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .emptyText }
        errno = 0
        let encoded: UnsafeMutablePointer<QRcode>?
        if bytes.contains(0) {
            // QRcode_encodeString stops at NUL; whole 8-bit mode keeps every byte.
            encoded = bytes.withUnsafeBufferPointer { buffer in
                QRcode_encodeData(Int32(buffer.count), buffer.baseAddress, 0, errorCorrection.level)
            }
        } else {
            encoded = text.withCString { string in
                QRcode_encodeString(string, 0, errorCorrection.level, QR_MODE_8, 1)
            }
        }
        guard let encoded else {
            let code = errno
            throw code == ERANGE ? .textTooLong(byteCount: bytes.count) : .encodingFailed(errno: code)
        }
        defer { QRcode_free(encoded) }
        let width = Int(encoded.pointee.width)
        guard width >= 21, width <= 177, let data = encoded.pointee.data else {
            throw .encodingFailed(errno: 0)
        }
        // libqrencode: one byte per module, row-major; bit 0 set means dark.
        let cells = UnsafeBufferPointer(start: data, count: width * width)
        modules = (0..<width).map { row in
            (0..<width).map { column in cells[row * width + column] & 1 == 1 }
        }
        version = Int(encoded.pointee.version)
        self.errorCorrection = errorCorrection
    }

    /// Whether the module at (`row`, `column`) of the image with a quiet zone of `border`
    /// modules is dark; the quiet zone and anything outside is light.
    func isDark(row: Int, column: Int, border: Int) -> Bool {
        let y = row - border
        let x = column - border
        guard y >= 0, y < size, x >= 0, x < size else { return false }
        return modules[y][x]
    }

    /// Checks rendering arguments shared by every format.
    static func checkLayout(scale: Int, border: Int) throws(QRCodeError) {
        guard allowedScales.contains(scale) else {
            throw .invalidArgument("QR scale must be \(allowedScales.lowerBound)...\(allowedScales.upperBound) pixels per module, got \(scale)")
        }
        guard allowedBorders.contains(border) else {
            throw .invalidArgument("QR border must be \(allowedBorders.lowerBound)...\(allowedBorders.upperBound) modules, got \(border)")
        }
    }

    /// Pixels per module accepted by the renderers.
    public static let allowedScales = 1...64
    /// Quiet-zone widths in modules accepted by the renderers (the standard asks for 4).
    public static let allowedBorders = 0...16
}
