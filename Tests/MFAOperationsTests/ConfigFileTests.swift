import MFAOperations
import Testing

@Suite struct ConfigFileTests {
    @Test func parsesTheFlatTOMLSubset() throws {
        let file = try ConfigFile.parse("""
            # mfad
            host = "0.0.0.0"   # every interface
            port = 7_370
            dev = false
            link-base-url = 'https://example.com/verify?token='
            issuer = "Acme \\"MFA\\" \\u00e9"

            max_connections = -1
            """, path: "mfad.toml")
        #expect(file.entries.map(\.key) == ["host", "port", "dev", "link-base-url", "issuer", "max_connections"])
        #expect(file.entry("host")?.value == .string("0.0.0.0"))
        #expect(file.entry("port")?.value == .integer(7370))
        #expect(file.entry("dev")?.value == .boolean(false))
        #expect(file.entry("link-base-url")?.value == .string("https://example.com/verify?token="))
        #expect(file.entry("issuer")?.value == .string("Acme \"MFA\" é"))
        #expect(file.entry("max_connections")?.value == .integer(-1))
        #expect(file.entry("port")?.line == 3)
    }

    @Test(arguments: [
        ("[server]\nport = 1", 1, nil as String?, "tables"),
        ("port 7370", 1, "port", "expected '='"),
        ("port = 7370\nport = 1", 2, "port", "set twice"),
        ("host = \"open", 1, "host", "not closed"),
        ("port = 07", 1, "port", "not a value"),
        ("port = 1.5", 1, "port", "not a value"),
        ("hosts = [\"a\"]", 1, "hosts", "arrays"),
        ("port = 1 2", 1, "port", "unexpected text"),
        ("= 1", 1, nil, "expected a key"),
        ("host = \"a\\qb\"", 1, "host", "unknown escape"),
    ])
    func refusesWhatItDoesNotSupport(text: String, line: Int, key: String?, fragment: String) {
        #expect {
            _ = try ConfigFile.parse(text, path: "x.toml")
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == key && error.origin == "config file x.toml, line \(line)" && error.message.contains(fragment)
        }
    }

    @Test func quotesRoundTrip() throws {
        let text = "tab\there \"quoted\" back\\slash \u{1} é"
        let file = try ConfigFile.parse("k = \(ConfigFile.quote(text))")
        #expect(file.entry("k")?.value == .string(text))
    }
}
