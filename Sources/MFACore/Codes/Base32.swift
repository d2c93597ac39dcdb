/// Base32 (RFC 4648 section 6), the text form of TOTP secrets in `otpauth://` URIs and for
/// typing into an authenticator app.
///
/// ``encode(_:)`` writes upper case without `=` padding, which is what authenticator apps
/// expect. ``decode(_:)`` is lenient in form (any case, spaces, optional padding) and strict in
/// content (only alphabet symbols, a possible length, zero unused trailing bits).
public enum Base32 {
    /// The 32 symbols, `A`-`Z` then `2`-`7`.
    public static let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

    private static let symbols: [UInt8] = Array(alphabet.utf8)

    /// Value of each ASCII byte, upper and lower case; 0xFF where the byte is not a symbol.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, symbol) in symbols.enumerated() {
            table[Int(symbol)] = UInt8(index)
            if symbol >= UInt8(ascii: "A"), symbol <= UInt8(ascii: "Z") {
                table[Int(symbol + 0x20)] = UInt8(index)
            }
        }
        return table
    }()

    /// Encodes bytes as upper-case base32 without padding.
    /// - Parameter bytes: The bytes.
    /// - Returns: `ceil(8 * count / 5)` characters of `[A-Z2-7]` (32 for a 20-byte TOTP secret).
    public static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(symbols[Int((buffer >> UInt32(bitCount)) & 0x1F)])
            }
            buffer &= (1 << UInt32(bitCount)) - 1
        }
        if bitCount > 0 {
            output.append(symbols[Int((buffer << UInt32(5 - bitCount)) & 0x1F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base32 as people and apps write it.
    ///
    /// Accepted: upper or lower case; ASCII spaces anywhere (apps show secrets in groups of
    /// four); `=` padding at the end, either none or exactly enough to reach a multiple of 8
    /// characters. Rejected: any other character (including `0`, `1`, `8`, `9` and other
    /// whitespace), `=` before other symbols, a symbol count that no byte string encodes
    /// (1, 3 or 6 modulo 8), and unused trailing bits that are not zero (so each byte string
    /// has exactly one accepted symbol sequence).
    ///
    /// - Parameter text: The encoded text, e.g. `"jbsw y3dp ehpk 3pxp"`.
    /// - Returns: The bytes, or `nil` when `text` is not valid base32.
    public static func decode(_ text: String) -> [UInt8]? {
        var values = [UInt8]()
        values.reserveCapacity(text.utf8.count)
        var padding = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: " ") { continue }
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0 else { return nil }
            let value = decodeTable[Int(byte)]
            guard value != 0xFF else { return nil }
            values.append(value)
        }
        let remainder = values.count % 8
        // Symbols left over in the last group, and the padding that completes that group.
        let paddingFor: [Int: Int] = [0: 0, 2: 6, 4: 4, 5: 3, 7: 1]
        guard let expectedPadding = paddingFor[remainder] else { return nil }
        guard padding == 0 || padding == expectedPadding else { return nil }

        var output = [UInt8]()
        output.reserveCapacity(values.count * 5 / 8)
        var buffer: UInt32 = 0
        var bitCount = 0
        for value in values {
            buffer = (buffer << 5) | UInt32(value)
            bitCount += 5
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8((buffer >> UInt32(bitCount)) & 0xFF))
                buffer &= (1 << UInt32(bitCount)) - 1
            }
        }
        // What is left (fewer than 5 bits) is padding from the encoder and must be zero.
        guard buffer == 0 else { return nil }
        return output
    }
}
