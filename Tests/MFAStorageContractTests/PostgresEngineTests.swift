import MFAStorageTestSupport
import Logging
import MFACore
import MFAPostgresStore
import Testing

/// What only the PostgreSQL engine has: migrations shared by nodes, readiness, metrics, its errors.
@Suite("PostgresMFAStorage: migrations, readiness, errors")
struct PostgresEngineTests {
    let logger = TestSupport.logger

    @Test func nodesStartingTogetherMigrateOnce() async throws {
        try await TestSupport.withScratchDatabase { scratch in
            let nodes = try await withThrowingTaskGroup(of: PostgresMFAStorage.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await PostgresMFAStorage.open(location: scratch.location, poolSize: 2, logger: logger) }
                }
                return try await group.reduce(into: [PostgresMFAStorage]()) { $0.append($1) }
            }
            for node in nodes {
                #expect(await node.readinessProblem() == nil)
            }
            // A write on one node is seen by another.
            try await nodes[0].write { try await $0.setSetting("shared", "yes") }
            #expect(try await nodes[3].read { try await $0.setting("shared") } == "yes")
            for node in nodes { await node.close() }
            // Opening again applies nothing and works.
            let again = try await PostgresMFAStorage.open(url: scratch.url, poolSize: 1, logger: logger)
            #expect(await again.readinessProblem() == nil)
            #expect(PostgresMFAStorage.schemaVersion == 7)
            await again.close()
        }
    }

    @Test func aDatabaseFromANewerBuildIsRefused() async throws {
        try await TestSupport.withScratchDatabase { scratch in
            let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 1, logger: logger)
            await storage.close()
            try await PostgresTestSQL.run("INSERT INTO schema_migrations (version, name, applied_unix) VALUES (99, 'from the future', 0)",
                                          on: scratch)
            await #expect(throws: PostgresStoreError.self) {
                try await PostgresMFAStorage.open(location: scratch.location, poolSize: 1, logger: logger)
            }
        }
    }

    @Test func readinessReportsAClosedStoreWithoutThePassword() async throws {
        try await TestSupport.withScratchDatabase { scratch in
            let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 1, logger: logger)
            #expect(await storage.readinessProblem() == nil)
            await storage.close()
            let problem = try #require(await storage.readinessProblem())
            #expect(problem.contains("closed"))
            if let password = scratch.location.password { #expect(!problem.contains(password)) }
        }
    }

    @Test func aWrongPasswordFailsWithoutShowingIt() async throws {
        var location = try PostgresLocation(url: try TestSupport.postgresURL())
        location.password = "definitely-wrong-password"
        do {
            let storage = try await PostgresMFAStorage.open(location: location, poolSize: 1, logger: logger)
            await storage.close()
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(!"\(error)".contains("definitely-wrong-password"))
            guard case PostgresStoreError.connectionFailed = error else {
                Issue.record("expected connectionFailed, got \(error)")
                return
            }
        }
    }

    @Test func aSwallowedStatementErrorFailsTheCommit() async throws {
        try await TestSupport.withStore(.postgres) { storage in
            try await storage.write { try await $0.insertAccount(Fixtures.account("a")) }
            await #expect(throws: PostgresStoreError.commitRolledBack) {
                try await storage.write { tx in
                    // The duplicate fails and aborts the transaction; the body pretends it did not.
                    try? await tx.insertAccount(Fixtures.account("a"))
                    return 1
                }
            }
        }
    }

    @Test func serverErrorsCarryTheSQLStateNotTheValues() async throws {
        try await TestSupport.withStore(.postgres) { storage in
            try await storage.write { try await $0.insertAccount(Fixtures.account("a", email: "secret-address@example.com")) }
            do {
                try await storage.write { try await $0.insertAccount(Fixtures.account("b", email: "secret-address@example.com")) }
                Issue.record("a duplicate email was accepted")
            } catch let error as PostgresStoreError {
                #expect(error.sqlState == "23505")
                #expect(!"\(error)".contains("secret-address"))
            }
        }
    }

    @Test func operationalCountsMirrorTheSQLiteEngine() async throws {
        try await TestSupport.withScratchDatabase { scratch in
            let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 2, logger: logger)
            let baseline = try await storage.operationalCounts(afterAuditID: nil)
            #expect(baseline.lastAuditID == 0)
            try await storage.write { tx in
                try await tx.enqueueOutbox(Fixtures.outbox(id: tx.newOutboxID()))
                try await tx.enqueueOutbox(Fixtures.outbox(id: tx.newOutboxID(), channel: "sms"))
                try await tx.appendAudit(AuditRecord(at: Fixtures.t0, accountID: "a", kind: .locked, detail: "until support"))
                try await tx.appendAudit(AuditRecord(at: Fixtures.t0, accountID: "a", kind: .locked, detail: "15 minutes"))
                try await tx.appendAudit(AuditRecord(at: Fixtures.t0, accountID: "a", kind: .loginOK))
            }
            let claimed = try await storage.claimDue(now: Fixtures.t0, limit: 1, leaseSeconds: 60, channels: ["sms"], messageIDDomain: "d")
            try await storage.markRetry(id: claimed[0].id, attempts: 2, nextAttemptAt: Fixtures.t0, error: "busy")
            let counts = try await storage.operationalCounts(afterAuditID: baseline.lastAuditID)
            #expect(counts.outboxByState == ["queued": 2])
            #expect(counts.failedDeliveryAttemptsByChannel == ["email": 0, "sms": 2])
            #expect(counts.locksUntilSupport == 1)
            #expect(counts.temporaryLocks == 1)
            #expect(counts.lastAuditID == 3)
            let none = try await storage.operationalCounts(afterAuditID: counts.lastAuditID)
            #expect(none.locksUntilSupport == 0 && none.temporaryLocks == 0)
            await storage.close()
        }
    }
}

@Suite("PostgresMFAStorage: Unix socket")
struct PostgresSocketTests {
    /// scripts/with-postgres also listens on a socket in its folder (MFA_TEST_POSTGRES_SOCKET_DIR).
    @Test func opensOverAUnixSocket() async throws {
        let tcp = try PostgresLocation(url: try TestSupport.postgresURL())
        guard case .tcp(_, let port) = tcp.endpoint, let directory = PostgresTestEnvironment.value("MFA_TEST_POSTGRES_SOCKET_DIR") else {
            throw MissingPostgresServer()
        }
        var socket = tcp
        socket.endpoint = .unixSocket(directory: directory, port: port)
        let parsed = try PostgresLocation(url: socket.url(includingPassword: true))
        #expect(parsed == socket)
        let storage = try await PostgresMFAStorage.open(location: parsed, poolSize: 1, logger: TestSupport.logger)
        #expect(await storage.readinessProblem() == nil)
        await storage.close()
    }
}
