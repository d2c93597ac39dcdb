/// A validated, normalized email address (trimmed, lower-cased).
///
/// Rules, checked on the normalized text: at most 254 UTF-8 bytes; no whitespace, control or
/// format (invisible) characters; exactly one `@`; a non-empty local part of at most 64 bytes;
/// a domain with at least one dot, no empty label and no label over 63 bytes. Anything else
/// (quoted local parts, IP literals) is refused; non-ASCII letters are allowed.
/// Lower-casing the local part departs from RFC 5321, as nearly every mail provider does.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The normalized address, e.g. `alice@example.com`.
    public let value: String

    /// The longest address accepted, in UTF-8 bytes (RFC 5321 path limit).
    public static let maximumBytes = 254
    /// The longest local part accepted, in UTF-8 bytes (RFC 5321).
    public static let maximumLocalPartBytes = 64
    /// The longest domain label accepted, in bytes (RFC 1035).
    public static let maximumLabelBytes = 63

    /// Validates and normalizes an address.
    /// - Parameter raw: What the user typed, e.g. `"  Alice@Example.COM "`.
    /// - Throws: ``ValidationError`` naming the first rule broken.
    public init(_ raw: String) throws(ValidationError) {
        let normalized = Self.normalizedKey(raw)
        if normalized.isEmpty { throw .emailEmpty }
        if normalized.utf8.count > Self.maximumBytes { throw .emailTooLong(maximum: Self.maximumBytes) }
        for scalar in normalized.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate:
                throw .emailForbiddenCharacter
            default:
                if scalar.properties.isWhitespace { throw .emailForbiddenCharacter }
            }
        }
        let parts = normalized.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .emailNotExactlyOneAt }
        let local = parts[0]
        let domain = parts[1]
        if local.isEmpty { throw .emailEmptyLocalPart }
        if local.utf8.count > Self.maximumLocalPartBytes { throw .emailLocalPartTooLong(maximum: Self.maximumLocalPartBytes) }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
              labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= Self.maximumLabelBytes })
        else { throw .emailInvalidDomain }
        value = normalized
    }

    /// The normalization alone (trim surrounding whitespace, lower-case), for any input.
    ///
    /// Use it to key per-email state such as ``PasswordThrottleState`` for logins with unknown
    /// or malformed emails too, so that they are treated exactly like real ones. For a valid
    /// address it equals ``value``.
    /// - Parameter raw: What the user typed.
    /// - Returns: The trimmed, lower-cased text.
    public static func normalizedKey(_ raw: String) -> String {
        let scalars = raw.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last]).lowercased()
    }

    public var description: String { value }
}
