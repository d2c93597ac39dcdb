import MFACore

/// The JSON body mfad POSTs to an SMS gateway: `{"to": ..., "body": ..., "message_id": ...}`.
enum SMSRequest {
    /// - Parameter message: An `sms` outbox message.
    /// - Returns: The JSON object, UTF-8.
    static func json(for message: OpenedOutboxMessage) -> [UInt8] {
        let text = "{\"to\":\(quote(message.recipient)),\"body\":\(quote(message.body)),\"message_id\":\(quote(message.messageID ?? ""))}"
        return Array(text.utf8)
    }

    /// A JSON string literal (RFC 8259): `"` and `\` escaped, control characters as `\n`, `\t`...
    /// or `\u00XX`, and U+2028/U+2029 as `\u2028`/`\u2029` (valid JSON either way, but JavaScript
    /// parsers before ES2019 choke on them raw). Everything else stays as UTF-8.
    /// - Parameter text: Any text.
    /// - Returns: The quoted literal.
    static func quote(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
