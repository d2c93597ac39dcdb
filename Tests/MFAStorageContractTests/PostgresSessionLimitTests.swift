import MFAStorageTestSupport
import MFAPostgresStore
import PostgresNIO
import Testing

/// A node never hangs on someone else's lock: its sessions carry `lock_timeout` (and a statement
/// and idle-transaction limit), so the request fails and its pool connection comes back.
@Suite("PostgresMFAStorage: session limits")
struct PostgresSessionLimitTests {
    // A hang guard, not a timing: under AddressSanitizer beside the other suites the run is slow.
    @Test(.timeLimit(.minutes(3)))
    func aWriteBlockedByAnotherSessionsRowLockFailsAfterTheLockTimeout() async throws {
        try await TestSupport.withScratchDatabase { scratch in
            let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 2, logger: TestSupport.logger)
            try await storage.write { try await $0.setSetting("contended", "before") }

            // Another client holds the row's lock and does not let go.
            let blocker = try await PostgresTestSQL.connect(to: scratch, id: 99)
            _ = try await blocker.query("BEGIN", logger: TestSupport.logger)
            _ = try await blocker.query("SELECT value FROM settings WHERE key = 'contended' FOR UPDATE", logger: TestSupport.logger)

            let started = ContinuousClock.now
            do {
                try await storage.write { try await $0.setSetting("contended", "after") }
                Issue.record("the write went through a row lock held by another session")
            } catch let error as PostgresStoreError {
                #expect(error.sqlState == "55P03", "lock_not_available, got \(error)")
            }
            let waited = ContinuousClock.now - started
            #expect(waited >= .seconds(4) && waited < .seconds(20), "waited \(waited)")

            _ = try await blocker.query("ROLLBACK", logger: TestSupport.logger)
            try await blocker.close()
            // The pool is whole again: the next write goes through.
            try await storage.write { try await $0.setSetting("contended", "after") }
            #expect(try await storage.read { try await $0.setting("contended") } == "after")
            await storage.close()
        }
    }
}
