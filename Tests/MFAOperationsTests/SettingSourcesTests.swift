import MFAOperations
import Testing

@Suite struct SettingSourcesTests {
    static let keys = [
        SettingKey("port", .integer(0...65535), default: "7370", "port"),
        SettingKey("host", .string, default: "127.0.0.1", "host"),
        SettingKey("dev", .boolean, default: "false", "dev"),
        SettingKey("log-format", .choice(["text", "json"]), default: "text", "format"),
        SettingKey("smtp-url", .string, "smtp"),
        SettingKey("tls-cert", .string, "cert"),
        SettingKey("master-key", .string, sources: .environmentOnly, "key"),
    ]

    func sources(_ file: String?, env: [String: String] = [:], arguments: [String] = []) throws -> SettingSources {
        SettingSources(keys: Self.keys, file: try file.map { try ConfigFile.parse($0, path: "mfad.toml") },
                       arguments: arguments, environment: { env[$0] })
    }

    @Test func unknownKeyIsAnErrorNamingItAndSuggestingTheNearestKey() throws {
        let sources = try sources("prot = 1")
        #expect(throws: ConfigurationError("unknown key; did you mean port?", key: "prot", origin: "config file mfad.toml, line 1")) {
            try sources.validate()
        }
    }

    @Test func typesAndRangesAreCheckedInTheFileAndTheEnvironment() throws {
        #expect(throws: ConfigurationError.self) { try sources("port = \"7370\"").validate() }
        #expect(throws: ConfigurationError.self) { try sources("port = 70000").validate() }
        #expect(throws: ConfigurationError.self) { try sources("log-format = \"xml\"").validate() }
        #expect(throws: ConfigurationError.self) { try sources("dev = 1").validate() }
        #expect(throws: ConfigurationError("must be an integer, not 'abc'", key: "port", origin: "environment variable MFAD_PORT")) {
            try sources(nil, env: ["MFAD_PORT": "abc"]).validate()
        }
        #expect(throws: ConfigurationError.self) { try sources(nil, env: ["MFAD_DEV": "maybe"]).validate() }
        try sources("port = 7371\ndev = true\nlog-format = \"json\"", env: ["MFAD_DEV": "0"]).validate()
    }

    @Test func secretsAreRefusedInTheFile() throws {
        #expect {
            try sources("master-key = \"00\"").validate()
        } throws: { error in
            (error as? ConfigurationError)?.message.contains("MFAD_MASTER_KEY") == true
        }
    }

    @Test func precedenceIsFlagThenEnvironmentThenFileThenDefault() throws {
        let sources = try sources("port = 1\nhost = \"10.0.0.1\"\ndev = true",
                                  env: ["MFAD_PORT": "2", "MFAD_HOST": "10.0.0.2"],
                                  arguments: ["serve", "--port", "3", "--log-format=json"])
        let effective = Dictionary(uniqueKeysWithValues: sources.effective().map { ($0.key.name, ($0.value, $0.source)) })
        #expect(effective["port"]?.0 == "3" && effective["port"]?.1 == .flag)
        #expect(effective["host"]?.0 == "10.0.0.2" && effective["host"]?.1 == .environment("MFAD_HOST"))
        #expect(effective["dev"]?.0 == "true" && effective["dev"]?.1 == .file(path: "mfad.toml", line: 3))
        #expect(effective["log-format"]?.0 == "json")
        #expect(effective["tls-cert"]?.1 == .unset)
        #expect(sources.fileValue(forEnvironmentName: "MFAD_HOST") == "10.0.0.1")
        #expect(sources.fileValue(forEnvironmentName: "MFAD_TLS_CERT") == nil)
    }

    @Test func renderingMasksSecretsAndURLPasswordsAndParsesBack() throws {
        let sources = try sources("smtp-url = \"smtp://mailer:hunter2@mail.example.com:587\"",
                                  env: ["MFAD_MASTER_KEY": String(repeating: "ab", count: 32)])
        let text = sources.render(header: ["test"])
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("abab"))
        #expect(text.contains("smtp://mailer:***@mail.example.com:587"))
        #expect(text.contains("# master-key: set (hidden); read from MFAD_MASTER_KEY only"))
        let reparsed = try ConfigFile.parse(text)
        #expect(reparsed.entry("port")?.value == .integer(7370))
        #expect(reparsed.entry("master-key") == nil)
    }

    @Test func urlPasswordMasking() {
        #expect(SettingSources.maskingURLPassword("smtps://u:p@h/x@y") == "smtps://u:***@h/x@y")
        #expect(SettingSources.maskingURLPassword("smtp://u@h") == "smtp://u@h")
        #expect(SettingSources.maskingURLPassword("/var/lib/mfad:x@y") == "/var/lib/mfad:x@y")
    }
}
