import MFACrypto

/// Turns secrets (codes, link tokens, session tokens, emails for throttling) into keyed hashes,
/// HMAC-SHA256 under the server key, so that a copy of the database alone reveals none of them.
/// Each purpose is domain-separated, so a digest of one kind never matches another.
public struct SecretDigester: Sendable {
    /// What a digest is for; part of the hashed input.
    public enum Purpose: String, Sendable {
        case emailCode = "email-code"
        case link = "link"
        case session = "session"
        case device = "device"
        case throttle = "throttle"
        case recoveryCode = "recovery-code"
        case contactCode = "contact-code"
        case invitation = "invitation"
        case apiKey = "api-key"
    }

    private let key: [UInt8]

    /// - Parameter key: the server's HMAC key (32 bytes or more).
    public init(key: [UInt8]) {
        self.key = key
    }

    /// The keyed hash of `secret` for `purpose`, optionally bound to a `context` (e.g. a
    /// challenge id, so a code only matches its own challenge).
    public func digest(_ purpose: Purpose, _ secret: String, context: String = "") -> [UInt8] {
        var message = Array(purpose.rawValue.utf8)
        message.append(0)
        message += context.utf8
        message.append(0)
        message += secret.utf8
        return HMACSHA256.authenticationCode(key: key, message: message)
    }

    /// Compares two digests in constant time.
    public static func matches(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        ConstantTime.equals(lhs, rhs)
    }
}
