/// Recognises an HTTP client on the mfad port: its first four bytes ("GET ", "POST", ...) read as
/// a frame length far over the maximum. Such a client gets one line of plain text and a close,
/// instead of a protobuf error it could not read.
enum HTTPHint {
    /// The answer to an HTTP request.
    static let text = "mfad speaks length-prefixed protobuf frames (proto/mfa/v1/mfa.proto), not HTTP.\n"

    private static let methods: Set<String> = ["GET ", "POST", "PUT ", "HEAD", "DELE", "OPTI", "PATC", "CONN", "TRAC", "PRI "]

    /// Whether a frame length's four bytes spell the start of an HTTP request.
    static func looksLikeHTTP(_ length: UInt32) -> Bool {
        let bytes = [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        return methods.contains(String(decoding: bytes, as: UTF8.self))
    }
}
