/// How a command's output is written.
public enum OutputFormat: Sendable, Equatable {
    /// Aligned `label:  value` lines for people.
    case human
    /// One JSON object on one line, keyed by proto field names, for scripts.
    case json
}

/// Turns an ``OutputRecord`` into text: the one place that decides how output looks.
public enum OutputRenderer {
    /// Renders a record.
    /// - Parameters:
    ///   - record: what the command prints.
    ///   - format: for people or for scripts.
    /// - Returns: the text, without a final newline.
    public static func render(_ record: OutputRecord, as format: OutputFormat) -> String {
        switch format {
        case .human: human(record)
        case .json: json(record)
        }
    }

    // MARK: JSON

    /// The record as one JSON object: keys are the proto field names in order, times are unix
    /// seconds, 64-bit integers are plain numbers.
    /// - Parameter record: the record.
    /// - Returns: compact JSON on one line (strings escape every control character).
    public static func json(_ record: OutputRecord) -> String {
        "{" + record.fields.map { jsonString($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
    }

    private static func json(_ value: OutputValue) -> String {
        switch value {
        case .string(let text): jsonString(text)
        case .integer(let number), .time(let number): String(number)
        case .unsigned(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .list(let items): "[" + items.map(json).joined(separator: ",") + "]"
        case .record(let record): json(record)
        }
    }

    /// A JSON string literal, quotes included.
    ///
    /// Escapes `"` and `\`, every control character (U+0000 to U+001F and U+007F; the short
    /// forms `\n`, `\r`, `\t`, `\b`, `\f` where JSON has them) and U+2028/U+2029 (which break
    /// JavaScript). Every other character, ASCII or not, is written as itself in UTF-8.
    /// - Parameter text: any string.
    /// - Returns: the literal.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                out += "\\u" + hex(scalar.value, width: 4)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: Human

    /// The record as aligned `label:  value` lines.
    ///
    /// Labels are the keys with `_` as spaces and without a trailing `_unix` (the value shows
    /// the unit). Times read `2026-01-01T00:00:00Z (1767225600)`, or `none` for 0; empty strings
    /// and lists read `-`; lists of strings are joined with `, `; nested records are indented;
    /// lists of records show one `- ` block each. Control characters and bidirectional-text
    /// controls in values are shown escaped (`\u{1B}`), so server text cannot drive the terminal;
    /// line breaks continue on the next line under the value. A record without fields reads `ok`.
    /// - Parameter record: the record.
    /// - Returns: the lines joined with `\n`.
    public static func human(_ record: OutputRecord) -> String {
        if record.fields.isEmpty { return "ok" }
        return humanLines(record, labelWidth: widestLabel(in: [record])).joined(separator: "\n")
    }

    /// The label people see for a key: `session_expires_unix` reads `session expires`.
    /// - Parameter key: a proto field name.
    /// - Returns: the label, without the colon.
    public static func humanLabel(_ key: String) -> String {
        var base = Substring(key)
        if base.hasSuffix("_unix"), base.count > 5 { base = base.dropLast(5) }
        return String(base.map { $0 == "_" ? " " : $0 })
    }

    /// The width of the widest `label:` among records printed as one aligned block.
    private static func widestLabel(in records: [OutputRecord]) -> Int {
        records.flatMap(\.fields).map { humanLabel($0.key).count + 1 }.max() ?? 0
    }

    /// Lines of one record, not indented; nested values indent themselves relative to these.
    private static func humanLines(_ record: OutputRecord, labelWidth: Int) -> [String] {
        var lines: [String] = []
        for field in record.fields {
            let label = humanLabel(field.key) + ":"
            switch field.value {
            case .record(let nested):
                lines.append(label)
                let nestedLines = nested.fields.isEmpty ? ["-"] : humanLines(nested, labelWidth: widestLabel(in: [nested]))
                lines += nestedLines.map { "  " + $0 }
            case .list(let items) where items.contains(where: \.isBlock):
                lines.append(label)
                let records = items.compactMap { if case .record(let r) = $0 { r } else { nil } }
                let width = widestLabel(in: records)
                for item in items {
                    let itemLines: [String]
                    switch item {
                    case .record(let r): itemLines = r.fields.isEmpty ? ["-"] : humanLines(r, labelWidth: width)
                    default: itemLines = humanText(item).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    }
                    for (index, line) in itemLines.enumerated() {
                        lines.append((index == 0 ? "  - " : "    ") + line)
                    }
                }
            default:
                let padded = label + String(repeating: " ", count: max(labelWidth - label.count, 0))
                let valueLines = humanText(field.value).split(separator: "\n", omittingEmptySubsequences: false)
                for (index, line) in valueLines.enumerated() {
                    let lead = index == 0 ? padded + "  " : String(repeating: " ", count: padded.count + 2)
                    lines.append(lead + line)
                }
            }
        }
        return lines
    }

    /// A value that is not a block, as text (may contain `\n`, which the caller turns into lines).
    private static func humanText(_ value: OutputValue) -> String {
        switch value {
        case .string(let text): text.isEmpty ? "-" : escapedForTerminal(text)
        case .integer(let number): String(number)
        case .unsigned(let number): String(number)
        case .bool(let flag): flag ? "yes" : "no"
        case .time(let seconds): seconds == 0 ? "none" : "\(UnixTime.iso8601(seconds)) (\(seconds))"
        case .list(let items): items.isEmpty ? "-" : items.map(humanText).joined(separator: ", ")
        case .record(let record): json(record)
        }
    }

    /// `text` with everything that could move the cursor, recolour or reorder the terminal shown
    /// as `\u{XX}`: C0 controls except the line feed, DEL, C1 controls, and bidi controls.
    /// - Parameter text: a value from the server.
    /// - Returns: the text safe to print; line feeds are kept.
    public static func escapedForTerminal(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A:
                out.unicodeScalars.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                out += "\\u{" + hex(scalar.value, width: 2) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Upper-case hexadecimal, zero-padded to at least `width` digits.
    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(width - digits.count, 0)) + digits
    }
}

extension OutputValue {
    /// Shown as its own indented block by the human renderer (records, and lists holding them).
    fileprivate var isBlock: Bool {
        switch self {
        case .record: true
        case .list(let items): items.contains(where: \.isBlock)
        default: false
        }
    }
}
