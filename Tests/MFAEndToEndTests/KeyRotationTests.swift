import MFAConformance
import Foundation
import MFAClient
import MFACore
import MFAStore
import MFAWire
import Testing

/// `mfad keys rotate-master` re-seals TOTP secrets so that mfad runs on the new master key alone.
@Suite(.serialized) struct KeyRotationTests {
    private func writeKey(_ byte: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("key-\(byte)").path
        try (String(repeating: byte, count: 64) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `mfad keys rotate-master` and returns its exit status.
    private func rotate(db: String, old: String, new: String) throws -> Int32 {
        let process = Process()
        process.executableURL = MfadProcess.buildDirectory.appendingPathComponent("mfad")
        process.arguments = ["keys", "rotate-master", "--db", db, "--old-key-file", old, "--new-key-file", new]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func rotatedSecretsOpenUnderTheNewKeyOnly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-rotate-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("mfa.sqlite").path
        let oldKey = try writeKey("a", in: directory)
        let newKey = try writeKey("b", in: directory)

        // Enrol TOTP under the old key (no enforcement: the first login gives a session).
        let first = try await MfadProcess(["--dev", "--master-key-file", oldKey, "--db", db])
        let client = try await first.client()
        let created = try await client.createAccount(CreateAccountRequest(email: "rot@example.com", password: "correct horse",
                                                                          phone: "+41791234567", plan: "pro", workspace: "acme"))
        for message in try SQLiteMFAStorage.outboxMessages(atPath: db) where !message.code.isEmpty {
            _ = try await client.verifyContact(VerifyContactRequest(accountID: created.accountID, channel: message.channel, code: message.code))
        }
        let session = try await client.login(LoginRequest(email: "rot@example.com", password: "correct horse")).sessionToken
        let enrollment = try await client.beginTotpEnrollment(BeginTotpEnrollmentRequest(sessionToken: session, password: "correct horse"))
        let secret = try #require(Base32.decode(enrollment.secret))
        let totp = TOTP()
        let now = Timestamp(unixSeconds: Int64(Date().timeIntervalSince1970))
        _ = try await client.confirmTotpEnrollment(ConfirmTotpEnrollmentRequest(
            sessionToken: session, enrollmentID: enrollment.enrollmentID, code: totp.code(secret: secret, at: now)))
        await client.close()
        #expect(try await first.stop() == 0)

        #expect(try rotate(db: db, old: oldKey, new: newKey) == 0)

        // The new key alone opens the secret: a code of the next step (within the ±1 window,
        // and after the confirming step) logs in.
        let second = try await MfadProcess(["--dev", "--master-key-file", newKey, "--db", db])
        let secondClient = try await second.client()
        let challenge = try await secondClient.login(LoginRequest(email: "rot@example.com", password: "correct horse")).challengeID
        let next = Timestamp(unixSeconds: Int64(Date().timeIntervalSince1970) + 30)
        let verified = try await secondClient.verifyMfa(VerifyMfaRequest(challengeID: challenge, code: totp.code(secret: secret, at: next)))
        #expect(!verified.sessionToken.isEmpty)
        await secondClient.close()
        #expect(try await second.stop() == 0)

        // The old key alone no longer opens it: the check fails closed.
        let third = try await MfadProcess(["--dev", "--master-key-file", oldKey, "--db", db])
        let thirdClient = try await third.client()
        let again = try await thirdClient.login(LoginRequest(email: "rot@example.com", password: "correct horse")).challengeID
        var failure: MFAClientError?
        do {
            _ = try await thirdClient.verifyMfa(VerifyMfaRequest(challengeID: again, code: totp.code(secret: secret, at: next)))
        } catch {
            failure = error
        }
        #expect(failure?.code == .unavailable)
        await thirdClient.close()
        _ = try await third.stop()
    }
}
