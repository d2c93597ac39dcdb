import MFACrypto

/// HOTP (RFC 4226): the HMAC-based one-time password that TOTP computes with the time step as
/// the counter.
public enum HOTP {
    /// The code for one counter value: HMAC of the 8-byte big-endian counter under `secret`,
    /// dynamic truncation (RFC 4226 section 5.3) to 31 bits, then the low `digits` decimal
    /// digits, zero-padded.
    ///
    /// - Parameters:
    ///   - secret: The shared secret (any length; HMAC accepts it).
    ///   - counter: The moving factor.
    ///   - digits: Code length, 6...9 (31 bits hold at most 9 full digits); larger values trap.
    ///   - algorithm: The HMAC algorithm; SHA-1 in RFC 4226.
    /// - Returns: Exactly `digits` ASCII digits, e.g. `"755224"`.
    public static func code(secret: [UInt8], counter: UInt64, digits: Int, algorithm: HashAlgorithm = .sha1) -> String {
        precondition((1...9).contains(digits), "HOTP digits \(digits) outside 1...9")
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) }
        let mac = HMAC.authenticationCode(algorithm, key: secret, message: message)
        // Dynamic truncation: the low 4 bits of the last byte pick where 4 bytes are read.
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = UInt32(mac[offset] & 0x7F) << 24
            | UInt32(mac[offset + 1]) << 16
            | UInt32(mac[offset + 2]) << 8
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }
}
