/// The format of the one-time codes sent by email (SPEC 2.1): upper-case letters and digits
/// without look-alikes, 6 characters by default.
///
/// Matching is the caller's job: ``normalize(_:)`` gives the canonical form to compare (by keyed
/// hash, in constant time). An input that is not well formed must still be counted as a wrong
/// attempt by the caller; it is never "free".
public struct EmailCode: Sendable, Hashable {
    /// The 32 symbols: `A`–`Z` without `I` and `O`, and `2`–`9` (no `0`/`O`, `1`/`I` confusion).
    public static let alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

    /// The default code length (6 characters, 30 bits).
    public static let defaultLength = 6

    /// The allowed code lengths.
    public static let allowedLengths = 4...32

    /// Inputs longer than this many UTF-8 bytes are rejected by ``normalize(_:)`` without
    /// scanning them (a code with generous spacing is far shorter).
    public static let maximumInputBytes = 256

    private static let symbols: [Unicode.Scalar] = Array(alphabet.unicodeScalars)
    private static let symbolSet: Set<Unicode.Scalar> = Set(alphabet.unicodeScalars)

    /// The number of characters in a code.
    public let length: Int

    /// Creates a code format.
    /// - Parameter length: Characters per code, within ``allowedLengths`` (checked by
    ///   ``MFAConfiguration/validate()``; a value outside it is a programming error and traps).
    public init(length: Int = EmailCode.defaultLength) {
        precondition(Self.allowedLengths.contains(length), "email code length \(length) outside \(Self.allowedLengths)")
        self.length = length
    }

    /// Draws a new code, each character uniform over ``alphabet``.
    /// - Parameter random: The random source (``SystemRandomSource`` in production).
    /// - Returns: `length` characters from ``alphabet``, e.g. `"K7QX2M"`.
    public func generate(using random: some RandomSource) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            scalars.append(Self.symbols[random.randomInt(below: Self.symbols.count)])
        }
        return String(scalars)
    }

    /// The canonical form of what a user typed: every Unicode whitespace removed, ASCII
    /// lower-case letters upper-cased.
    ///
    /// Only ASCII letters are case-folded, so that no other character can be turned into an
    /// alphabet symbol (Unicode upper-casing would map `ß` to `SS`).
    ///
    /// - Parameter input: The text typed, e.g. `" k7q x2m "`.
    /// - Returns: The code (e.g. `"K7QX2M"`), or `nil` when what remains is not exactly `length`
    ///   symbols of ``alphabet``.
    public func normalize(_ input: String) -> String? {
        guard input.utf8.count <= Self.maximumInputBytes else { return nil }
        var scalars = String.UnicodeScalarView()
        for scalar in input.unicodeScalars {
            if scalar.properties.isWhitespace { continue }
            let upper: Unicode.Scalar
            if ("a"..."z").contains(scalar) {
                upper = Unicode.Scalar(UInt8(scalar.value) - 0x20)
            } else {
                upper = scalar
            }
            guard Self.symbolSet.contains(upper) else { return nil }
            scalars.append(upper)
            if scalars.count > length { return nil }
        }
        return scalars.count == length ? String(scalars) : nil
    }

    /// Whether `input` normalizes to a code of this format.
    /// - Parameter input: The text typed.
    /// - Returns: `normalize(input) != nil`.
    public func isWellFormed(_ input: String) -> Bool {
        normalize(input) != nil
    }
}
