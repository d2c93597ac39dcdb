import MFACtlSupport
import Testing

@Suite("Human rendering")
struct HumanRenderingTests {
    @Test("labels drop _unix and use spaces")
    func labels() {
        #expect(OutputRenderer.humanLabel("session_expires_unix") == "session expires")
        #expect(OutputRenderer.humanLabel("account_id") == "account id")
        #expect(OutputRenderer.humanLabel("_unix") == " unix")
        #expect(OutputRenderer.humanLabel("plan") == "plan")
    }

    @Test("values line up after the longest label")
    func alignment() {
        let record: OutputRecord = [
            "account_id": .string("abc"),
            "plan": .string("pro"),
            "expires_unix": .time(1_767_225_600),
        ]
        #expect(OutputRenderer.human(record) == """
            account id:  abc
            plan:        pro
            expires:     2026-01-01T00:00:00Z (1767225600)
            """)
    }

    @Test("empty values, zero times, booleans and string lists")
    func scalars() {
        let record: OutputRecord = [
            "session_token": .string(""),
            "methods": .strings(["email", "totp"]),
            "none": .strings([]),
            "enforce_from_unix": .time(0),
            "locked": .bool(true),
            "trusted": .bool(false),
            "n": .number(Int32(-3)),
        ]
        #expect(OutputRenderer.human(record) == """
            session token:  -
            methods:        email, totp
            none:           -
            enforce from:   none
            locked:         yes
            trusted:        no
            n:              -3
            """)
    }

    @Test("nested records indent; lists of records show aligned - blocks")
    func blocks() {
        let record: OutputRecord = [
            "policy": .record([
                "global_enforce_from_unix": .time(1_772_323_200),
                "workspaces": .records([
                    ["workspace": .string("acme"), "enforce_from_unix": .time(0)],
                    ["workspace": .string("b"), "enforce_from_unix": .time(86_400)],
                ]),
                "grace_days": .number(UInt32(7)),
            ]),
        ]
        #expect(OutputRenderer.human(record) == """
            policy:
              global enforce from:  2026-03-01T00:00:00Z (1772323200)
              workspaces:
                - workspace:     acme
                  enforce from:  none
                - workspace:     b
                  enforce from:  1970-01-02T00:00:00Z (86400)
              grace days:           7
            """)
    }

    @Test("an empty list of records reads -, an empty record reads ok")
    func empties() {
        #expect(OutputRenderer.human(["events": .records([])]) == "events:  -")
        #expect(OutputRenderer.human(OutputRecord()) == "ok")
    }

    @Test("line breaks continue under the value")
    func multiline() {
        let record: OutputRecord = ["subject": .string("Code"), "body": .string("line one\nline two")]
        #expect(OutputRenderer.human(record) == """
            subject:  Code
            body:     line one
                      line two
            """)
    }

    @Test("terminal controls in values are shown escaped")
    func terminalEscapes() {
        #expect(OutputRenderer.escapedForTerminal("a\u{1B}[2Jb\tc\rd") == "a\\u{1B}[2Jb\\u{09}c\\u{0D}d")
        #expect(OutputRenderer.escapedForTerminal("x\u{202E}y\u{9B}z") == "x\\u{202E}y\\u{9B}z")
        #expect(OutputRenderer.escapedForTerminal("café\nnext") == "café\nnext")
        #expect(OutputRenderer.human(["detail": .string("\u{1B}]0;pwned\u{07}")]) == "detail:  \\u{1B}]0;pwned\\u{07}")
    }
}
