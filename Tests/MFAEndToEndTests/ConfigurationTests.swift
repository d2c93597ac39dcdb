import Foundation
import MFAConformance
import Testing

/// SPEC 7 configuration through the `mfad` executable: the config file, its precedence, its
/// errors, and `--print-config`.
@Suite struct ConfigurationTests {
    /// A temporary directory for one test, removed afterwards.
    private func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-config-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    private func write(_ text: String, to directory: URL, name: String = "mfad.toml") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func printConfigShowsEveryValueWithItsSourceAndMasksSecrets() async throws {
        try await withDirectory { directory in
            let masterKey = String(repeating: "5e", count: 32)
            let database = directory.appendingPathComponent("mfa.sqlite").path
            let config = try write("""
                # production-like
                db = "\(database)"
                link-base-url = "https://portal:url-password-1@example.com/verify?token="
                max-connections = 500
                metrics-port = 9370
                """, to: directory)
            let result = try await runMfad(["serve", "--config", config, "--print-config", "--port", "7444"],
                                           environment: ["MFAD_MASTER_KEY": masterKey, "MFAD_MAX_CONNECTIONS": "600",
                                                         "MFAD_MASTER_KEY_FILE": "/etc/mfad/master.key"])
            #expect(result.status == 0, "\(result.standardError)")
            let output = result.standardOutput
            #expect(!output.contains(masterKey) && !output.contains("5e5e"))
            #expect(!output.contains("url-password-1"))
            #expect(output.contains("# master-key: set (hidden); read from MFAD_MASTER_KEY only"))
            #expect(output.contains(#"link-base-url = "https://portal:***@example.com/verify?token=""#))
            #expect(line("port", in: output)?.hasSuffix("# flag") == true)
            #expect(line("max-connections", in: output)?.hasPrefix("max-connections = 600 ") == true)
            #expect(line("max-connections", in: output)?.hasSuffix("# environment MFAD_MAX_CONNECTIONS") == true)
            #expect(line("metrics-port", in: output)?.hasSuffix("# config file \(config):5") == true)
            #expect(line("db", in: output)?.hasPrefix(#"db = "\#(database)""#) == true)
            #expect(line("master-key-file", in: output)?.hasPrefix(#"master-key-file = "/etc/mfad/master.key""#) == true)
            #expect(line("idle-timeout", in: output)?.hasSuffix("# default") == true)
            #expect(output.contains("# tls-cert is not set"))
            // Printing opens nothing: no database was created.
            #expect(!FileManager.default.fileExists(atPath: database))
        }
    }

    /// The `key = ...` line of `output`.
    private func line(_ key: String, in output: String) -> String? {
        output.split(separator: "\n").map(String.init).first { $0.hasPrefix("\(key) = ") }
    }

    @Test func everyServeOptionIsAConfigKey() async throws {
        let help = try await runMfad(["serve", "--help"])
        #expect(help.status == 0)
        let options = Set(help.standardOutput.split(whereSeparator: { !($0.isLetter || $0 == "-") })
            .filter { $0.hasPrefix("--") && $0.count > 2 }.map { String($0.dropFirst(2)) })
            .subtracting(["help", "version", "config", "print-config"])
        let printed = try await runMfad(["serve", "--print-config"])
        let keys = Set(printed.standardOutput.split(separator: "\n").compactMap { line -> String? in
            let text = line.hasPrefix("# ") ? line.dropFirst(2) : line[...]
            return text.split(whereSeparator: { $0 == " " || $0 == ":" }).first.map(String.init)
        })
        #expect(options.count >= 25 && options.contains("metrics-port") && options.contains("max-in-flight"))
        #expect(options.isSubset(of: keys), "options missing from the config keys: \(options.subtracting(keys).sorted())")
    }

    @Test func anUnknownKeyIsAStartupErrorNamingItAndTheLikelyKey() async throws {
        try await withDirectory { directory in
            let config = try write("port = 7370\nmax-conections = 5\n", to: directory)
            let result = try await runMfad(["--config", config, "--dev", "--db", directory.appendingPathComponent("m.sqlite").path])
            #expect(result.status != 0)
            #expect(result.standardError.contains("config file \(config), line 2: max-conections: unknown key; did you mean max-connections?"))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("m.sqlite").path))
        }
    }

    @Test(arguments: [
        ("port = \"7370\"", "port: must be an integer (without quotes), not a string"),
        ("shutdown-grace = 99999", "shutdown-grace: 99999 is out of range: use 0 to 3600"),
        ("log-format = \"xml\"", "log-format: must be one of text, json, not 'xml'"),
        ("master-key = \"00\"", "master-key: is a secret and is read from the environment only: set MFAD_MASTER_KEY"),
        ("[server]", "tables ([section]) are not supported"),
    ])
    func aBadValueIsAStartupErrorNamingTheKey(text: String, message: String) async throws {
        try await withDirectory { directory in
            let config = try write(text + "\n", to: directory)
            let result = try await runMfad(["--config", config, "--dev"])
            #expect(result.status != 0)
            #expect(result.standardError.contains("config file \(config), line 1: \(message)"), "\(result.standardError)")
        }
    }

    @Test func aBadEnvironmentVariableIsAStartupErrorNamingIt() async throws {
        let result = try await runMfad(["--dev", "--print-config"], environment: ["MFAD_IDLE_TIMEOUT": "soon"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("environment variable MFAD_IDLE_TIMEOUT: idle-timeout: must be an integer, not 'soon'"))
        let missing = try await runMfad(["--config", "/nonexistent/mfad.toml"])
        #expect(missing.status != 0 && missing.standardError.contains("/nonexistent/mfad.toml"))
    }

    /// The file is read by `mfad serve` (it turns on the metrics endpoint), and a flag beats it
    /// (MfadProcess passes `--port`, the file names another port).
    @Test(.timeLimit(.minutes(3)))
    func theConfigFileConfiguresAServerAndFlagsOverrideIt() async throws {
        try await withDirectory { directory in
            let metricsPort = try MfadProcess.freePort()
            let config = try write("""
                dev = true
                db = "\(directory.appendingPathComponent("mfa.sqlite").path)"
                port = 1
                metrics-port = \(metricsPort)
                log-format = "json"
                """, to: directory)
            let mfad = try await MfadProcess(["--config", config])
            let client = try await mfad.client()
            _ = try await client.ping(.init(payload: [1]))
            #expect(try await httpGet(port: metricsPort, path: "/healthz").status == 200)
            await client.close()
            #expect(try await mfad.stop() == 0)
            #expect(mfad.log.split(separator: "\n").first?.hasPrefix("{\"time\":") == true)
        }
    }

    /// The rule keys take flag > environment > file > default like every key.
    @Test func ruleKeysArePrintedWithTheirSource() async throws {
        try await withDirectory { directory in
            let config = try write("""
                lock-attempts = 5
                totp-algorithm = "sha256"
                lock-duration = 120
                email-fallback = true
                """, to: directory)
            let result = try await runMfad(["serve", "--config", config, "--print-config", "--lock-duration", "900"],
                                           environment: ["MFAD_LOCK_ATTEMPTS": "6"])
            #expect(result.status == 0, "\(result.standardError)")
            let output = result.standardOutput
            #expect(line("lock-attempts", in: output)?.hasPrefix("lock-attempts = 6 ") == true)
            #expect(line("lock-attempts", in: output)?.hasSuffix("# environment MFAD_LOCK_ATTEMPTS") == true)
            #expect(line("lock-duration", in: output)?.hasPrefix("lock-duration = 900 ") == true)
            #expect(line("lock-duration", in: output)?.hasSuffix("# flag") == true)
            #expect(line("totp-algorithm", in: output)?.hasPrefix(#"totp-algorithm = "sha256""#) == true)
            #expect(line("totp-algorithm", in: output)?.hasSuffix("# config file \(config):2") == true)
            #expect(line("email-fallback", in: output)?.hasPrefix("email-fallback = true ") == true)
            #expect(line("resend-max", in: output)?.hasPrefix("resend-max = 5 ") == true)
            #expect(line("resend-max", in: output)?.hasSuffix("# default") == true)
            #expect(line("trusted-device-lifetime", in: output)?.hasPrefix("trusted-device-lifetime = 7776000 ") == true)
        }
    }

    /// Rules that cannot work stop `mfad` before it opens anything, naming the key.
    @Test(arguments: [
        (["--lock-duration", "600", "--lock-escalation-window", "600"], [:], "",
         "invalid configuration lock-escalation-window: must be longer than the lock (600 s), got 600 s"),
        ([], [:], "lock-escalation-window = 100\n",
         "invalid configuration lock-escalation-window: must be longer than the lock (300 s), got 100 s"),
        (["--lock-attempts", "0"], [:], "", "invalid configuration lock-attempts: must be at least 1, got 0"),
        (["--totp-skew-steps", "11"], [:], "", "invalid configuration totp-skew-steps: must be 0...10, got 11"),
        (["--totp-digits", "7"], [:], "", "invalid configuration totp-digits: must be 6 or 8, got 7"),
        ([], ["MFAD_TOTP_DIGITS": "7"], "", "invalid configuration totp-digits: must be 6 or 8, got 7"),
        (["--totp-algorithm", "md5"], [:], "", "invalid configuration totp-algorithm: must be one of sha1, sha256, sha512, got 'md5'"),
        ([], ["MFAD_LOCK_DURATION": "0"], "",
         "environment variable MFAD_LOCK_DURATION: lock-duration: 0 is out of range: use 1 to 2147483647"),
        ([], [:], "totp-algorithm = \"SHA1\"\n", "totp-algorithm: must be one of sha1, sha256, sha512, not 'SHA1'"),
    ] as [([String], [String: String], String, String)])
    func aRuleThatCannotWorkIsAStartupErrorNamingTheKey(flags: [String], environment: [String: String], file: String,
                                                        message: String) async throws {
        try await withDirectory { directory in
            let database = directory.appendingPathComponent("m.sqlite").path
            let config = file.isEmpty ? [] : ["--config", try write(file, to: directory)]
            let result = try await runMfad(["--dev", "--db", database] + config + flags, environment: environment)
            #expect(result.status != 0)
            #expect(result.standardError.contains(message), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: database))
        }
    }
}
