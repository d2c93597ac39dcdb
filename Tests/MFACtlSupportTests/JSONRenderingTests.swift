import MFACtlSupport
import Testing

@Suite("JSON rendering")
struct JSONRenderingTests {
    @Test("quotes and backslashes are escaped")
    func quotesAndBackslashes() {
        #expect(OutputRenderer.jsonString(#"say "hi" \ bye"#) == #""say \"hi\" \\ bye""#)
        #expect(OutputRenderer.jsonString(#"\""#) == #""\\\"""#)
    }

    @Test("control characters use the short escapes where JSON has them, else \\u00XX")
    func controlCharacters() {
        #expect(OutputRenderer.jsonString("a\nb\rc\td\u{08}e\u{0C}f") == #""a\nb\rc\td\be\ff""#)
        #expect(OutputRenderer.jsonString("\u{00}\u{01}\u{1B}[31m\u{1F}\u{7F}") == #""\u0000\u0001\u001B[31m\u001F\u007F""#)
    }

    @Test("every C0 control character is escaped")
    func everyControlCharacterEscaped() {
        for value in UInt32(0)..<0x20 {
            let rendered = OutputRenderer.jsonString(String(Character(Unicode.Scalar(value)!)))
            #expect(!rendered.unicodeScalars.contains { $0.value < 0x20 }, "U+\(value) left raw")
            #expect(rendered.hasPrefix("\"\\"))
        }
    }

    @Test("non-ASCII is written as UTF-8, except the JavaScript line separators")
    func nonASCII() {
        #expect(OutputRenderer.jsonString("café 日本 🔐") == "\"café 日本 🔐\"")
        #expect(OutputRenderer.jsonString("e\u{301}") == "\"e\u{301}\"")
        #expect(OutputRenderer.jsonString("a\u{2028}b\u{2029}") == #""a\u2028b\u2029""#)
    }

    @Test("a record is one object with its keys in order and typed values")
    func record() {
        let record: OutputRecord = [
            "session_token": .string("t\"k"),
            "methods": .strings(["email", "totp"]),
            "mfa_reminder": .bool(false),
            "session_expires_unix": .time(1_767_268_800),
            "attempts": .number(UInt32(2)),
            "big": .unsigned(UInt64.max),
            "negative": .number(Int64(-5)),
            "empty": .list([]),
        ]
        #expect(OutputRenderer.json(record) == #"{"session_token":"t\"k","methods":["email","totp"],"mfa_reminder":false,"session_expires_unix":1767268800,"attempts":2,"big":18446744073709551615,"negative":-5,"empty":[]}"#)
    }

    @Test("nested records and lists of records nest as objects and arrays")
    func nested() {
        let record: OutputRecord = [
            "policy": .record([
                "workspaces": .records([["workspace": .string("acme"), "enforce_from_unix": .time(5)]]),
                "exempt_plans": .strings([]),
            ]),
        ]
        #expect(OutputRenderer.render(record, as: .json) == #"{"policy":{"workspaces":[{"workspace":"acme","enforce_from_unix":5}],"exempt_plans":[]}}"#)
    }

    @Test("an empty record is an empty object")
    func emptyRecord() {
        #expect(OutputRenderer.json(OutputRecord()) == "{}")
    }
}
