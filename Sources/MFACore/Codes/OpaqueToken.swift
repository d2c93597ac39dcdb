/// Random bearer tokens in base64url without padding: session, link, device and invitation
/// tokens (32 bytes, 256 bits, 43 characters) and identifiers such as challenge ids (16 bytes,
/// 22 characters).
///
/// Only a keyed hash of a token is ever stored; the token itself goes to the client once.
public enum OpaqueToken {
    /// Bytes in a bearer token: 32 (256 bits, SPEC 2.4 asks for at least 256).
    public static let tokenByteCount = 32
    /// Bytes in a public identifier such as a challenge or enrolment id: 16 (128 bits).
    public static let identifierByteCount = 16

    /// Draws a 32-byte bearer token.
    /// - Parameter random: The random source.
    /// - Returns: 43 characters of base64url.
    public static func generate(using random: some RandomSource) -> String {
        generate(bytes: tokenByteCount, using: random)
    }

    /// Draws a token of `bytes` random bytes.
    /// - Parameters:
    ///   - bytes: How many random bytes (use ``identifierByteCount`` for ids).
    ///   - random: The random source.
    /// - Returns: `ceil(4 * bytes / 3)` characters of base64url.
    public static func generate(bytes: Int, using random: some RandomSource) -> String {
        Base64URL.encode(random.bytes(bytes))
    }

    /// Whether `text` could be a token of `bytes` random bytes (cheap check before hashing and
    /// looking it up; a well-formed token may still be unknown).
    /// - Parameters:
    ///   - text: What the client sent.
    ///   - bytes: The expected number of bytes.
    /// - Returns: `true` when `text` is canonical base64url of exactly `bytes` bytes.
    public static func isWellFormed(_ text: String, bytes: Int = tokenByteCount) -> Bool {
        guard text.utf8.count == (bytes * 4 + 2) / 3 else { return false }
        return Base64URL.decode(text)?.count == bytes
    }
}
