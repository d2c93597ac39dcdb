/// The HTML alternative of a plain-text message: every character escaped, paragraphs at blank
/// lines, line breaks kept, and `http(s)://` links made clickable.
enum HTMLRendering {
    /// - Parameters:
    ///   - text: The plain-text body.
    ///   - title: The document title (the subject).
    /// - Returns: A complete HTML document, lines ending in LF (the transfer encoding makes them CRLF).
    static func document(text: String, title: String) -> String {
        let normalized = text.replacingCRLF()
        var paragraphs: [[Substring]] = [[]]
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !(paragraphs.last?.isEmpty ?? true) { paragraphs.append([]) }
            } else {
                paragraphs[paragraphs.count - 1].append(line)
            }
        }
        let body = paragraphs.filter { !$0.isEmpty }.map { lines in
            "<p>" + lines.map { linkify(String($0)) }.joined(separator: "<br>\n") + "</p>"
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html>
            <head><meta charset="utf-8"><title>\(escape(title))</title></head>
            <body>
            \(body)
            </body>
            </html>

            """
    }

    /// Escapes `& < > " '` so that text can go into HTML content and attribute values.
    /// - Parameter text: Any text.
    /// - Returns: The escaped text.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// One line, escaped, with each whitespace-separated `http://` or `https://` word as a link.
    private static func linkify(_ line: String) -> String {
        line.split(separator: " ", omittingEmptySubsequences: false).map { word in
            let text = String(word)
            guard text.hasPrefix("https://") || text.hasPrefix("http://") else { return escape(text) }
            return "<a href=\"\(escape(text))\">\(escape(text))</a>"
        }.joined(separator: " ")
    }
}

extension String {
    /// CRLF and lone CR become LF.
    func replacingCRLF() -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                result.unicodeScalars.append("\n")
                previousCR = true
                continue
            }
            if !(scalar == "\n" && previousCR) { result.unicodeScalars.append(scalar) }
            previousCR = false
        }
        return result
    }
}
