import Foundation
import MFAClient
import MFAWire
import Testing

/// SPEC 6: TOTP secrets are encrypted at rest and recovery codes stored hashed: neither appears
/// in the bytes of the SQLite database or its write-ahead log.
@Suite(.serialized) struct SecretsAtRestTests {
    @Test func totpSecretIsNotInTheDatabaseFiles() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let session = try await mfad.sessionWithoutCode(account)
            let enrollment = try await mfad.beginTOTP(account, session: session)
            let secret = try #require(TestBase32.decode(enrollment.secret))
            try #require(secret.count == 20)
            try expectAbsent(enrollment.secret, secret, from: mfad, when: "after BeginTotpEnrollment")

            _ = try await mfad.confirmTOTP(enrollment, session: session,
                                           code: try OathTool.code(secret: enrollment.secret, at: try await mfad.now()))
            _ = try await mfad.totpLogin(TOTPAccount(account: account, session: session, secret: enrollment.secret,
                                                     recoveryCodes: [], confirmedAt: testClockStart))
            try expectAbsent(enrollment.secret, secret, from: mfad, when: "after confirmation and a login")
        }
    }

    @Test func recoveryCodesAreNotInTheDatabaseFiles() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let files = try databaseFiles(of: mfad)
            for code in totp.recoveryCodes {
                for form in [code, code.replacingOccurrences(of: "-", with: "")] {
                    for (name, bytes) in files {
                        #expect(bytes.range(of: Data(form.utf8)) == nil, "recovery code \(form) in \(name)")
                    }
                }
            }
        }
    }

    /// SPEC 8.1: the outbox keeps no code, link token or message text in clear, neither for held
    /// messages (the embedded default) nor anywhere in the file or its write-ahead log.
    @Test func outboxContentsAreSealedInTheDatabaseFiles() async throws {
        try await withMfad { mfad in
            let secrets = try await queueEveryKindOfMessage(mfad)
            let files = try databaseFiles(of: mfad)
            #expect(files.contains { $0.1.range(of: Data("guest@example.com".utf8)) != nil }, "the recipient is kept in clear")
            for (name, bytes) in files {
                for secret in secrets {
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "'\(secret)' in \(name)")
                }
            }
        }
    }

    /// The same on PostgreSQL: a `pg_dump` of the database holds none of it.
    @Test(.timeLimit(.minutes(3))) func outboxContentsAreSealedInAPostgreSQLDump() async throws {
        try await withCluster(nodes: 1) { cluster in
            let secrets = try await queueEveryKindOfMessage(cluster[0])
            let dump = try PostgresDump.text(of: cluster.database.url)
            #expect(dump.contains("guest@example.com"), "the recipient is kept in clear: the search works")
            for secret in secrets {
                #expect(!dump.contains(secret), "'\(secret)' in the PostgreSQL dump")
            }
        }
    }

    /// Sign-up (email and SMS codes), a login's email (code and link) and an invitation, all held;
    /// returns what must never be found in clear: every code, link token and a phrase of each body.
    private func queueEveryKindOfMessage(_ mfad: TestMfad) async throws -> [String] {
        let account = try await mfad.enforcedAccount("alice@example.com")
        let challenge = try await mfad.loginForCode(account)
        let session = try await mfad.verifyCorrect(challenge).sessionToken
        _ = try await mfad.client.inviteUser(InviteUserRequest(workspace: "acme", email: "guest@example.com",
                                                               inviterSessionToken: session))
        // What test mode's ReadOutbox opens with the key: the codes and tokens to look for.
        let outbox = try await mfad.outbox()
        let codes = outbox.map(\.code).filter { !$0.isEmpty }
        let tokens = outbox.map(\.linkToken).filter { !$0.isEmpty }
        #expect(codes.count >= 3, "sign-up email and SMS codes and the login code: \(outbox.count) messages")
        #expect(tokens.count >= 2, "the login link and the invitation")
        #expect(outbox.allSatisfy { !$0.body.isEmpty })
        return codes + tokens + ["Your sign-in code is", "confirmation code is", "invited you to the workspace"]
    }

    /// The database file and its `-wal` (when there is one), by name.
    private func databaseFiles(of mfad: TestMfad) throws -> [(String, Data)] {
        var files = [("database", try Data(contentsOf: URL(fileURLWithPath: mfad.databasePath)))]
        let wal = mfad.databasePath + "-wal"
        if FileManager.default.fileExists(atPath: wal) {
            files.append(("-wal", try Data(contentsOf: URL(fileURLWithPath: wal))))
        }
        return files
    }

    private func expectAbsent(_ base32: String, _ raw: [UInt8], from mfad: TestMfad, when: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let files = try databaseFiles(of: mfad)
        #expect(files.count == 2, "no -wal file \(when)", sourceLocation: sourceLocation)
        // Control: what is stored in the clear (the email) is found, so the search itself works.
        #expect(files.contains { $0.1.range(of: Data("alice@example.com".utf8)) != nil }, sourceLocation: sourceLocation)
        for (name, bytes) in files {
            #expect(bytes.range(of: Data(base32.uppercased().utf8)) == nil, "base32 secret in \(name) \(when)",
                    sourceLocation: sourceLocation)
            #expect(bytes.range(of: Data(base32.lowercased().utf8)) == nil, "lower-case base32 secret in \(name) \(when)",
                    sourceLocation: sourceLocation)
            #expect(bytes.range(of: Data(raw)) == nil, "raw secret bytes in \(name) \(when)", sourceLocation: sourceLocation)
        }
    }
}
