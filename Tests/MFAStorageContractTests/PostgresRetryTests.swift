import MFAStorageTestSupport
import MFACore
import MFAPostgresStore
import NIOConcurrencyHelpers
import Testing

/// Forces the conflict the retry exists for: two writes both read the same account, then both
/// write it. PostgreSQL makes the second fail with serialization_failure; the runner must run that
/// body again from the start, against the first one's committed result.
@Suite("PostgresMFAStorage: serialisable retries")
struct PostgresRetryTests {
    @Test func aConflictingWriteIsRunAgainWhole() async throws {
        try await TestSupport.withStore(.postgres) { storage in
            try await storage.write { try await $0.insertAccount(Fixtures.account()) }
            let runs = NIOLockedValueBox(0)
            let committedRuns = NIOLockedValueBox<[Int]>([])
            let readersWaiting = NIOLockedValueBox(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await storage.write { tx in
                            let run = runs.withLockedValue { $0 += 1; return $0 }
                            // An effect outside the transaction: only a committed run's may happen.
                            tx.afterCommit.append { committedRuns.withLockedValue { $0.append(run) } }
                            guard var account = try await tx.account(id: "acct-1") else { throw BodyError(reason: "no account") }
                            if run <= 2 {
                                // First runs: wait (up to 5 s) until both have read the same state. Awaited, never
                                // slept: a blocked thread of the shared pool would stall every other test.
                                readersWaiting.withLockedValue { $0 += 1 }
                                for _ in 0..<500 where readersWaiting.withLockedValue({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
                            }
                            account.attempts.consecutiveFailures += 1
                            try await tx.updateAttempts(accountID: "acct-1", account.attempts)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(runs.withLockedValue { $0 } == 3)
            // Three runs, two commits: the run that failed serialization left no effect behind.
            #expect(committedRuns.withLockedValue { $0 }.count == 2)
            #expect(committedRuns.withLockedValue { $0 }.contains(3))
            #expect(try await storage.read { try await $0.account(id: "acct-1") }?.attempts.consecutiveFailures == 2)
        }
    }

    @Test func retriesAreBounded() async throws {
        try await TestSupport.withScratchDatabase { scratch in
            let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 2, maxAttempts: 1,
                                                            logger: TestSupport.logger)
            try await storage.write { try await $0.insertAccount(Fixtures.account()) }
            let readersWaiting = NIOLockedValueBox(0)
            let outcomes = await withTaskGroup(of: (any Error)?.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        do {
                            try await storage.write { tx in
                                guard var account = try await tx.account(id: "acct-1") else { throw BodyError(reason: "no account") }
                                readersWaiting.withLockedValue { $0 += 1 }
                                for _ in 0..<500 where readersWaiting.withLockedValue({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
                                account.attempts.consecutiveFailures += 1
                                try await tx.updateAttempts(accountID: "acct-1", account.attempts)
                            }
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
                return await group.reduce(into: [(any Error)?]()) { $0.append($1) }
            }
            let errors = outcomes.compactMap { $0 }
            #expect(errors.count == 1)
            #expect(errors.first as? PostgresStoreError == .retriesExhausted(attempts: 1, sqlState: "40001"))
            await storage.close()
        }
    }
}
