/// A phone number in E.164 form: `+`, then 8 to 15 digits, the first not 0.
///
/// Spaces (any Unicode whitespace) and dashes are removed before checking; nothing else is
/// (no parentheses, no national formats, no `00` prefix).
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number in E.164 form, e.g. `+41791234567`.
    public let e164: String

    /// The allowed number of digits after `+`.
    public static let digitCount = 8...15

    /// Validates and normalizes a phone number.
    /// - Parameter raw: What the user typed, e.g. `"+41 79-123 45 67"`.
    /// - Throws: ``ValidationError/phoneNotE164``.
    public init(_ raw: String) throws(ValidationError) {
        var scalars = raw.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "-" }[...]
        guard scalars.first == "+" else { throw .phoneNotE164 }
        scalars = scalars.dropFirst()
        guard Self.digitCount.contains(scalars.count),
              scalars.allSatisfy({ ("0"..."9").contains($0) }),
              scalars.first != "0"
        else { throw .phoneNotE164 }
        e164 = "+" + String(String.UnicodeScalarView(scalars))
    }

    public var description: String { e164 }
}
