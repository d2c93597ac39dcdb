/// A plan or workspace name: 1 to 64 characters of `[a-z0-9._-]`, taken as is (upper case is
/// refused, not folded, so that names stay stable keys).
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
    /// The name.
    public let value: String

    /// The longest name accepted.
    public static let maximumLength = 64

    /// Validates a name.
    /// - Parameters:
    ///   - raw: The name.
    ///   - field: Which field it is, for the error message (`.plan` or `.workspace`).
    /// - Throws: ``ValidationError`` naming the rule broken.
    public init(_ raw: String, field: ValidationError.Field) throws(ValidationError) {
        if raw.isEmpty { throw .identifierEmpty(field) }
        let bytes = raw.utf8
        let allowed = bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        // Checked after the alphabet so that 65 multi-byte characters report the character rule.
        guard allowed else { throw .identifierForbiddenCharacter(field) }
        if bytes.count > Self.maximumLength { throw .identifierTooLong(field, maximum: Self.maximumLength) }
        value = raw
    }

    public var description: String { value }
}
