/// Header text that is safe on the wire: printable ASCII, lines of at most 78 characters, and
/// RFC 2047 encoded-words (`=?UTF-8?B?...?=`) for anything else.
enum HeaderEncoding {
    /// UTF-8 bytes per encoded-word: 39 bytes make 52 base64 characters, a 64-character word,
    /// which fits on a line after any header name mfad writes.
    static let bytesPerEncodedWord = 39
    /// Longest header line, without CRLF (RFC 5322 "SHOULD").
    static let maximumLineLength = 78

    /// An unstructured header value (`Subject`). Line breaks and control characters become spaces
    /// (a header can never be split into two by its value). Printable ASCII stays as it is, folded
    /// at spaces when long; anything else becomes encoded-words, one folded line each.
    /// - Parameters:
    ///   - text: The value.
    ///   - headerName: The header's name, to count the first line's length.
    /// - Returns: The value, possibly folded with CRLF SP.
    static func unstructured(_ text: String, headerName: String) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? " " : scalar
        }))
        if isPlainASCII(cleaned), !cleaned.contains("=?") {
            return fold(cleaned, firstLineUsed: headerName.utf8.count + 2)
        }
        return encodedWords(cleaned).joined(separator: "\r\n ")
    }

    /// A display name (RFC 5322 phrase): an atom phrase as it is, other printable ASCII as a
    /// quoted string, anything else as encoded-words.
    /// - Parameter text: The display name (no control characters).
    /// - Returns: The phrase.
    static func phrase(_ text: String) -> String {
        if isPlainASCII(text), !text.contains("=?") {
            let atext = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~ ".unicodeScalars)
            if text.unicodeScalars.allSatisfy(atext.contains), text.first != " ", text.last != " " {
                return text
            }
            var quoted = "\""
            for character in text {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }
        return encodedWords(text).joined(separator: "\r\n ")
    }

    /// RFC 2047 B-encoded words of UTF-8, each holding whole characters (never a split UTF-8
    /// sequence) and at most ``bytesPerEncodedWord`` bytes.
    /// - Parameter text: Any text.
    /// - Returns: The words, in order; decoders join adjacent words without the space between them.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > bytesPerEncodedWord {
                words.append(encodedWord(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append(encodedWord(chunk))
        }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Base64.encode(bytes))?="
    }

    /// True when every character is printable ASCII (space to `~`).
    static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }

    /// Folds ASCII text at spaces so that lines stay within ``maximumLineLength`` where a space
    /// allows it (a longer word stays whole: folding may only happen at whitespace).
    private static func fold(_ text: String, firstLineUsed: Int) -> String {
        var lines: [String] = []
        var line = ""
        var used = firstLineUsed
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            let piece = index == 0 ? String(word) : " " + word
            if !line.isEmpty, used + line.utf8.count + piece.utf8.count > maximumLineLength {
                lines.append(line)
                line = piece
                used = 0
            } else {
                line += piece
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }
}
