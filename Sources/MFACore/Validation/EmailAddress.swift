/// A validated, normalized email address (trimmed, lower-cased): one the mailer can send.
///
/// The rule (``validate(_:)``), which `MFADelivery`'s `MailAddress` applies to every `RCPT TO`,
/// `To:` and `From:` too, so that what is accepted can be sent and the reverse:
/// - at most 254 bytes; no whitespace, control or format (invisible) characters; ASCII only (the
///   mailer does not speak SMTPUTF8; an international domain is written in its `xn--` form);
/// - exactly one `@`;
/// - the local part: 1 to 64 bytes, an RFC 5322 dot-atom: `atext` (letters, digits and
///   ``!#$%&'*+-/=?^_`{|}~``) with single dots between, none first or last. Quoted local parts
///   are refused;
/// - the domain: at least two labels of 1 to 63 letters, digits and hyphens (LDH), no hyphen
///   first or last in a label, the last label not all digits. IP literals are refused.
///
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

    /// Validates and normalizes a new address (`CreateAccount`, `InviteUser`).
    /// - Parameter raw: What the user typed, e.g. `"  Alice@Example.COM "`.
    /// - Throws: ``ValidationError`` naming the first rule broken.
    public init(_ raw: String) throws(ValidationError) {
        let normalized = Self.normalizedKey(raw)
        try Self.validate(normalized)
        value = normalized
    }

    /// Normalizes an address to look up an existing account (`Login`), checking only its shape:
    /// the length limits, no whitespace or control characters, one `@`, a local part, and a
    /// domain of at least two non-empty labels. Accounts created before the full rule of
    /// ``validate(_:)`` (non-ASCII addresses) can so still sign in; nothing is ever sent to an
    /// address that only passed this.
    /// - Parameter raw: What the user typed.
    /// - Throws: ``ValidationError`` naming the first rule broken.
    public init(lookingUp raw: String) throws(ValidationError) {
        let normalized = Self.normalizedKey(raw)
        _ = try Self.checkShape(normalized)
        value = normalized
    }

    /// Checks an address exactly as given (no trimming, no lower-casing; upper-case letters are
    /// allowed) against the rule above.
    /// - Parameter address: A bare address, e.g. `no-reply@example.com`.
    /// - Throws: ``ValidationError`` naming the first rule broken.
    public static func validate(_ address: String) throws(ValidationError) {
        let (local, domain) = try checkShape(address)
        guard address.utf8.allSatisfy({ $0 < 0x80 }) else { throw .emailNotASCII }
        guard isDotAtom(local.utf8) else { throw .emailInvalidLocalPart }
        let labels = Array(domain.utf8).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.allSatisfy(isLDHLabel), let last = labels.last, !last.allSatisfy(isDigit) else {
            throw .emailInvalidDomain
        }
    }

    /// The checks every address passes, old or new: lengths, characters that break any text,
    /// one `@`, and the domain's label structure.
    /// - Returns: the local part and the domain.
    private static func checkShape(_ address: String) throws(ValidationError) -> (local: Substring, domain: Substring) {
        if address.isEmpty { throw .emailEmpty }
        if address.utf8.count > maximumBytes { throw .emailTooLong(maximum: maximumBytes) }
        for scalar in address.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate:
                throw .emailForbiddenCharacter
            default:
                if scalar.properties.isWhitespace { throw .emailForbiddenCharacter }
            }
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .emailNotExactlyOneAt }
        let local = parts[0]
        let domain = parts[1]
        if local.isEmpty { throw .emailEmptyLocalPart }
        if local.utf8.count > maximumLocalPartBytes { throw .emailLocalPartTooLong(maximum: maximumLocalPartBytes) }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= maximumLabelBytes }) else {
            throw .emailInvalidDomain
        }
        return (local, domain)
    }

    /// RFC 5322 `dot-atom-text`: one or more `atext`, single dots between.
    private static func isDotAtom(_ bytes: Substring.UTF8View) -> Bool {
        var previousWasDot = true  // a leading dot is refused like a doubled one
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else if isAtext(byte) {
                previousWasDot = false
            } else {
                return false
            }
        }
        return !previousWasDot
    }

    /// RFC 5322 `atext`: ALPHA / DIGIT / ``!#$%&'*+-/=?^_`{|}~``.
    private static func isAtext(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    /// RFC 1035 / 5890 LDH label: letters, digits, hyphens, no hyphen at either end.
    private static func isLDHLabel(_ label: ArraySlice<UInt8>) -> Bool {
        guard let first = label.first, let last = label.last, first != UInt8(ascii: "-"), last != UInt8(ascii: "-") else {
            return false
        }
        return label.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
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
