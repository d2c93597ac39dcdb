/// Why a QR code could not be made or rendered.
///
/// A struct over a private code so that cases can be added without breaking callers; compare
/// with the static members. The description names the problem and sizes, never the text encoded
/// (an otpauth URI holds a secret).
public struct QRCodeError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case emptyText
        case textTooLong
        case encodingFailed
        case invalidArgument
        case pngFailure
    }

    private let code: Code
    private let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The text to encode was empty.
    public static let emptyText = QRCodeError(.emptyText, "QR code text is empty")

    /// The text does not fit in the largest QR code (version 40) at the chosen error correction.
    /// - Parameter byteCount: The text's length in UTF-8 bytes.
    /// - Returns: The error.
    public static func textTooLong(byteCount: Int) -> QRCodeError {
        QRCodeError(.textTooLong, "QR code text of \(byteCount) bytes does not fit in version 40; shorten it or lower the error correction")
    }

    /// libqrencode failed for another reason (out of memory, invalid input).
    /// - Parameter errno: The `errno` libqrencode left.
    /// - Returns: The error.
    public static func encodingFailed(errno: Int32) -> QRCodeError {
        QRCodeError(.encodingFailed, "libqrencode failed (errno \(errno))")
    }

    /// A rendering argument was out of range (the detail says which and the allowed range).
    /// - Parameter detail: What was wrong.
    /// - Returns: The error.
    public static func invalidArgument(_ detail: String) -> QRCodeError {
        QRCodeError(.invalidArgument, detail)
    }

    /// libpng could not write the image.
    /// - Parameter message: libpng's message.
    /// - Returns: The error.
    public static func pngFailure(_ message: String) -> QRCodeError {
        QRCodeError(.pngFailure, "libpng failed: \(message)")
    }

    /// Two errors are equal when they have the same kind, whatever the detail.
    public static func == (lhs: QRCodeError, rhs: QRCodeError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    /// What failed, for logs.
    public var description: String { "QRCodeError: \(detail)" }
}
