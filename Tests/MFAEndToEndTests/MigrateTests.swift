import MFAConformance
import MFAStorageTestSupport
import MFAWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `mfad migrate --from sqlite:PATH --to postgres://...` end to end: a deployment made on SQLite,
/// stopped, copied, and started on PostgreSQL with the same flags keeps its sessions, TOTP
/// secrets, API keys and outbox; a second copy into the same database is refused.
@Suite(.serialized) struct MigrateTests {
    @Test(.timeLimit(.minutes(3)))
    func migratedDeploymentKeepsSessionsTOTPAndOutboxOnPostgreSQL() async throws {
        _ = try TestSupport.postgresURL()  // fails at once, with the hint, outside scripts/with-postgres
        try await withMfad { sqlite in
            let account = try await sqlite.createAccount("alice@example.com")  // contacts confirmed with the sent codes
            let totp = try await sqlite.enrollTOTP(account)
            let outbox = try await sqlite.outbox().map(Self.summary)
            // The two sign-up codes and the notice that TOTP was enabled.
            try #require(outbox.count == 3, "queued: \(outbox)")
            try await sqlite.stop(signal: SIGTERM)

            try await TestSupport.withScratchDatabase { database in
                let migrate = ["migrate", "--from", "sqlite:\(sqlite.databasePath)", "--to", database.url]
                let first = try MfadProcess.runCommand(migrate)
                #expect(first.status == 0, "mfad migrate failed: \(first.output)")
                #expect(first.output.contains("counts verified"), "\(first.output)")

                // The API key came along: the client authenticates as before.
                try await withMfad(database: database.url) { postgres in
                    #expect(try await postgres.validate(totp.session).accountID == account.id)
                    #expect(try await postgres.outbox().map(Self.summary) == outbox)
                    let login = try await postgres.totpLogin(totp)
                    #expect(try await postgres.validate(login.sessionToken).accountID == account.id)
                }

                let second = try MfadProcess.runCommand(migrate)
                #expect(second.status != 0, "a second migrate into a database holding data was accepted: \(second.output)")
            }
        }
    }

    /// What a migration must keep of an outbox message.
    static func summary(_ message: OutboxMessage) -> [String] {
        [message.to, message.channel, message.subject, message.code, message.linkToken, message.state, "\(message.createdUnix)"]
    }
}
