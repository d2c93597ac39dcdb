/// Quoted-printable content transfer encoding (RFC 2045 section 6.7) of text.
enum QuotedPrintable {
    /// Longest encoded line, the soft line break's `=` included.
    static let maximumLineLength = 76

    /// Encodes UTF-8 text. Its line breaks (LF or CRLF) become CRLF hard breaks; encoded lines
    /// longer than 76 characters get soft breaks (`=` CRLF), never inside an `=XX` escape.
    /// Escaped: `=`, bytes outside printable ASCII, a space or tab at the end of a line, and a `.`
    /// starting a line (so SMTP's end-of-data dot can never be at stake, whoever transports it).
    /// - Parameter text: The text.
    /// - Returns: The encoded text, lines joined by CRLF, no final CRLF.
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [String] = []
        // Swift sees CRLF as one Character: normalise to LF before splitting.
        for rawLine in text.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(rawLine.utf8)
            var line: [UInt8] = []
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let mustEscape = byte == UInt8(ascii: "=")
                    || !(byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || (0x21...0x7E).contains(byte))
                    || (isLast && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")))
                    || (line.isEmpty && byte == UInt8(ascii: "."))
                let token: [UInt8] = mustEscape ? [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]] : [byte]
                // Room for the token and, unless it ends the line, a soft break after it.
                let limit = isLast ? maximumLineLength : maximumLineLength - 1
                if line.count + token.count > limit {
                    output.append(String(decoding: line + [UInt8(ascii: "=")], as: UTF8.self))
                    line = []
                    // A new encoded line: a leading '.' is escaped there too.
                    if byte == UInt8(ascii: ".") {
                        line = [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                        continue
                    }
                }
                line += token
            }
            output.append(String(decoding: line, as: UTF8.self))
        }
        return output.joined(separator: "\r\n")
    }
}
