/// Single-use recovery codes (SPEC 2.6): shown once, stored only as keyed hashes, each accepted
/// once by `VerifyMfa` in place of a TOTP code.
///
/// A code is 10 symbols of ``EmailCode/alphabet`` (no look-alikes), 50 bits, shown as two
/// groups of five: `ABCDE-FGHJK`. ``normalize(_:)`` gives the 10-symbol canonical form to hash
/// and compare; the dash is only for display.
public enum RecoveryCodes {
    /// The symbols, the same as email codes: `A`-`Z` without `I` and `O`, and `2`-`9`.
    public static let alphabet = EmailCode.alphabet
    /// Symbols in a code (10, 50 bits).
    public static let symbolCount = 10
    /// Symbols in each dash-separated group of the display form.
    public static let groupLength = 5
    /// Codes issued at a time unless configured otherwise (10).
    public static let defaultCount = 10
    /// Typed inputs longer than this many UTF-8 bytes are rejected unread.
    public static let maximumInputBytes = 256

    private static let symbols: [Unicode.Scalar] = Array(alphabet.unicodeScalars)
    private static let symbolSet: Set<Unicode.Scalar> = Set(alphabet.unicodeScalars)

    /// Draws `count` distinct codes in display form.
    ///
    /// - Parameters:
    ///   - count: How many codes; default 10. Must be at least 1 (``MFAConfiguration/validate()``
    ///     checks the configured count); a smaller value is a programming error and traps.
    ///   - random: The random source (``SystemRandomSource`` in production).
    /// - Returns: `count` distinct codes like `"K7QX2-M9PAB"`.
    public static func generate(count: Int = defaultCount, using random: some RandomSource) -> [String] {
        precondition(count >= 1, "recovery code count \(count) must be at least 1")
        var codes = [String]()
        var seen = Set<String>()
        codes.reserveCapacity(count)
        while codes.count < count {
            var scalars = String.UnicodeScalarView()
            for index in 0..<symbolCount {
                if index == groupLength { scalars.append("-") }
                scalars.append(symbols[random.randomInt(below: symbols.count)])
            }
            let code = String(scalars)
            // A repeat within one set (chance about 2^-44) would leave the user one code short.
            if seen.insert(code).inserted {
                codes.append(code)
            }
        }
        return codes
    }

    /// The canonical form of what a user typed: Unicode whitespace and ASCII `-` removed, ASCII
    /// letters upper-cased (only ASCII, so nothing else can turn into a symbol).
    ///
    /// - Parameter input: The text typed, e.g. `"k7qx2 - m9pab"`.
    /// - Returns: The 10 symbols (e.g. `"K7QX2M9PAB"`), or `nil` when what remains is not exactly
    ///   10 symbols of ``alphabet``.
    public static func normalize(_ input: String) -> String? {
        guard input.utf8.count <= maximumInputBytes else { return nil }
        var scalars = String.UnicodeScalarView()
        for scalar in input.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "-" { continue }
            let upper = ("a"..."z").contains(scalar) ? Unicode.Scalar(UInt8(scalar.value) - 0x20) : scalar
            guard symbolSet.contains(upper) else { return nil }
            scalars.append(upper)
            if scalars.count > symbolCount { return nil }
        }
        return scalars.count == symbolCount ? String(scalars) : nil
    }

    /// The display form of a canonical code: `ABCDEFGHJK` → `ABCDE-FGHJK`.
    /// - Parameter input: Any form ``normalize(_:)`` accepts.
    /// - Returns: The grouped form, or `nil` when `input` is not a recovery code.
    public static func displayForm(_ input: String) -> String? {
        guard let canonical = normalize(input) else { return nil }
        return String(canonical.prefix(groupLength)) + "-" + String(canonical.dropFirst(groupLength))
    }
}
