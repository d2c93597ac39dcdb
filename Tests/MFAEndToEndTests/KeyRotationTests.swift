import MFAConformance
import Foundation
import MFAClient
import MFACore
import MFAStore
import MFAWire
import Testing

/// The key hierarchy through the real mfad (SPEC 8.1): `mfad keys rotate-master` re-seals the
/// data keys only, so everything made under the old master key keeps working under the new one,
/// and a node started with a key that is not the database's refuses to start.
@Suite(.serialized) struct KeyRotationTests {
    private static let service = "portal"
    private static let apiKey = "mfak_rotation-test-key-not-a-secret"
    private static let password = "correct horse"

    /// A temporary folder with a database path and two master key files (`a`, `b`).
    private struct Folder {
        let url: URL
        var db: String { url.appendingPathComponent("mfa.sqlite").path }
        var keyA: String { url.appendingPathComponent("key-a").path }
        var keyB: String { url.appendingPathComponent("key-b").path }

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-rotate-\(UUID())")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try (String(repeating: "a", count: 64) + "\n").write(toFile: keyA, atomically: true, encoding: .utf8)
            try (String(repeating: "b", count: 64) + "\n").write(toFile: keyB, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    private func start(_ folder: Folder, key: String, _ extra: [String] = []) async throws -> MfadProcess {
        try await MfadProcess(["--master-key-file", key, "--db", folder.db] + extra)
    }

    private func client(_ mfad: MfadProcess) async throws -> MFAClient {
        try await mfad.client(credentials: MFAClient.Credentials(service: Self.service, apiKey: Self.apiKey))
    }

    /// What the first server made under key A: an API key, a session, a trusted device, TOTP
    /// and recovery codes.
    private struct Made {
        let session: String
        let deviceToken: String
        let secret: [UInt8]
        let recoveryCodes: [String]
    }

    private func makeEverything(_ folder: Folder) async throws -> Made {
        try MfadProcess.createAPIKey(service: Self.service, key: Self.apiKey, database: folder.db,
                                     keyFlags: ["--master-key-file", folder.keyA])
        let mfad = try await start(folder, key: folder.keyA)
        let client = try await client(mfad)
        let created = try await client.createAccount(CreateAccountRequest(email: "rot@example.com", password: Self.password,
                                                                          phone: "+41791234567", plan: "pro", workspace: "acme"))
        for message in try await SQLiteMFAStorage.openedOutboxMessages(atPath: folder.db, masterKeyFile: folder.keyA) where !message.code.isEmpty {
            _ = try await client.verifyContact(VerifyContactRequest(accountID: created.accountID, channel: message.channel, code: message.code))
        }
        let session = try await client.login(LoginRequest(email: "rot@example.com", password: Self.password)).sessionToken
        let enrollment = try await client.beginTotpEnrollment(BeginTotpEnrollmentRequest(sessionToken: session, password: Self.password))
        let secret = try #require(Base32.decode(enrollment.secret))
        let confirmed = try await client.confirmTotpEnrollment(ConfirmTotpEnrollmentRequest(
            sessionToken: session, enrollmentID: enrollment.enrollmentID, code: TOTP().code(secret: secret, at: Self.now())))
        // A trusted device, from a login completed with a recovery code.
        let challenge = try await client.login(LoginRequest(email: "rot@example.com", password: Self.password)).challengeID
        let trusted = try await client.verifyMfa(VerifyMfaRequest(challengeID: challenge, code: confirmed.recoveryCodes[0],
                                                                  trustDevice: true, deviceLabel: "laptop"))
        await client.close()
        #expect(try await mfad.stop() == 0)
        return Made(session: session, deviceToken: trusted.deviceToken, secret: secret,
                    recoveryCodes: Array(confirmed.recoveryCodes.dropFirst()))
    }

    private static func now() -> Timestamp { Timestamp(unixSeconds: Int64(Date().timeIntervalSince1970)) }

    private func rotate(_ folder: Folder, old: String, new: String) throws -> (status: Int32, output: String, errorOutput: String) {
        try MfadProcess.runCommand(["keys", "rotate-master", "--db", folder.db, "--old-key-file", old, "--new-key-file", new])
    }

    /// The refusal's log, or a test failure when mfad started.
    private func refusal(_ folder: Folder, key: String) async throws -> String {
        do {
            let mfad = try await start(folder, key: key)
            _ = try await mfad.stop()
            Issue.record("mfad started with a master key that is not the database's")
            return ""
        } catch MfadProcessError.didNotStart(let log) {
            return log
        }
    }

    @Test func afterRotationEverythingMadeUnderTheOldKeyWorksUnderTheNewOne() async throws {
        let folder = try Folder()
        defer { folder.remove() }
        let made = try await makeEverything(folder)

        let rotated = try rotate(folder, old: folder.keyA, new: folder.keyB)
        #expect(rotated.status == 0)
        #expect(rotated.output.contains("re-sealed"))
        // Rotating again is a no-op, not an error.
        #expect(try rotate(folder, old: folder.keyA, new: folder.keyB).output.contains("nothing to do"))

        let mfad = try await start(folder, key: folder.keyB)
        // The API key (a keyed hash) authenticates.
        let client = try await client(mfad)
        // The session is still valid.
        #expect(try await client.validateSession(ValidateSessionRequest(sessionToken: made.session)).accountID.isEmpty == false)
        // The trusted device still skips the code.
        let trustedLogin = try await client.login(LoginRequest(email: "rot@example.com", password: Self.password,
                                                               deviceToken: made.deviceToken))
        #expect(!trustedLogin.sessionToken.isEmpty)
        // A recovery code still matches.
        let first = try await client.login(LoginRequest(email: "rot@example.com", password: Self.password)).challengeID
        #expect(!(try await client.verifyMfa(VerifyMfaRequest(challengeID: first, code: made.recoveryCodes[0]))).sessionToken.isEmpty)
        // The sealed TOTP secret still opens: a code of the next step logs in.
        let second = try await client.login(LoginRequest(email: "rot@example.com", password: Self.password)).challengeID
        let code = TOTP().code(secret: made.secret, at: Self.now().adding(seconds: 30))
        #expect(!(try await client.verifyMfa(VerifyMfaRequest(challengeID: second, code: code))).sessionToken.isEmpty)
        await client.close()
        #expect(try await mfad.stop() == 0)

        // The old key alone no longer starts mfad, and says why.
        let log = try await refusal(folder, key: folder.keyA)
        #expect(log.contains("is not this database's"))
        // During a rotation the old one may be given as the previous key.
        let both = try await start(folder, key: folder.keyA, ["--previous-master-key-file", folder.keyB])
        #expect(try await both.stop() == 0)
    }

    @Test func aMasterKeyThatIsNotTheDatabasesRefusesToStart() async throws {
        let folder = try Folder()
        defer { folder.remove() }
        let first = try await start(folder, key: folder.keyA)
        #expect(try await first.stop() == 0)
        let log = try await refusal(folder, key: folder.keyB)
        #expect(log.contains("is not this database's"))
        #expect(log.contains("--master-key-file"))
        // Neither key file's content appears in the log.
        #expect(!log.contains(String(repeating: "a", count: 64)) && !log.contains(String(repeating: "b", count: 64)))
        // `mfad keys` commands refuse the same way.
        let keys = try MfadProcess.runCommand(["keys", "list", "--db", folder.db, "--master-key-file", folder.keyB])
        #expect(keys.status != 0)
    }
}
