/// HMAC-SHA256, the keyed hash used for stored tokens and codes.
public enum HMACSHA256 {
    /// The output length in bytes (32).
    public static let byteCount = 32

    /// Computes HMAC-SHA256 of `message` under `key`.
    /// - Parameters:
    ///   - key: The secret key.
    ///   - message: The bytes to authenticate.
    /// - Returns: The 32-byte authentication code.
    public static func authenticationCode(key: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
        HMAC.authenticationCode(.sha256, key: key, message: message)
    }
}
