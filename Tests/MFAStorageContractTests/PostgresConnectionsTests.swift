import MFAStorageTestSupport
import Logging
import MFACore
@testable import MFAPostgresStore
import NIOPosix
import Testing

/// The node's connections (postgres-nio's `PostgresClient`): on the loops mfad gives them,
/// replaced when the server ends one, and closed only after the work in flight.
@Suite("PostgresMFAStorage: connections")
struct PostgresConnectionsTests {
    let logger = TestSupport.logger

    @Test func connectionsRunOnTheLoopsTheyAreGiven() async throws {
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await TestSupport.withScratchDatabase { scratch in
            let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 2, eventLoopGroup: loops,
                                                            logger: logger)
            let loop = try await storage.connections.withConnection { $0.eventLoop }
            #expect(loop === loops.next())
            await storage.close()
        }
        try await loops.shutdownGracefully()
    }

    @Test func aConnectionTheServerEndedIsReplaced() async throws {
        try await TestSupport.withScratchDatabase { scratch in
            let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 1, logger: logger)
            try await storage.write { try await $0.setSetting("before", "kept") }
            #expect(try await Self.endSessions(of: scratch) == 1)
            // The one connection is gone: at most the next transaction finds it broken (an
            // error, never a statement waiting forever on a closed channel), and the client then
            // opens another.
            var failures = 0
            var value: String?
            while value == nil, failures < 2 {
                do {
                    value = try await storage.read { try await $0.setting("before") }
                } catch {
                    failures += 1
                }
            }
            #expect(value == "kept")
            #expect(await storage.readinessProblem() == nil)
            await storage.close()
        }
    }

    /// A statement after the server ended the session mid-transaction fails the transaction; it
    /// does not wait for an answer that cannot come (nor keep its connection leased).
    // A hang guard, not a timing: under AddressSanitizer beside the other suites the run is slow.
    @Test(.timeLimit(.minutes(3)))
    func aSessionEndedMidTransactionFailsItsTransaction() async throws {
        try await TestSupport.withScratchDatabase { scratch in
            let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 1, logger: logger)
            await #expect(throws: PostgresStoreError.self) {
                try await storage.write { tx in
                    try await tx.setSetting("first", "1")
                    _ = try await Self.endSessions(of: scratch)
                    try await tx.setSetting("second", "2")
                }
            }
            #expect(try await storage.read { try await $0.setting("first") } == nil)
            await storage.close()
        }
    }

    @Test func closeWaitsForTheTransactionInFlightAndRefusesNewOnes() async throws {
        try await TestSupport.withScratchDatabase { scratch in
            let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 2, logger: logger)
            let (started, signal) = AsyncStream<Void>.makeStream()
            let inFlight = Task {
                try await storage.write { tx in
                    signal.yield()
                    try await Task.sleep(for: .milliseconds(300))
                    try await tx.setSetting("written", "during close")
                }
            }
            for await _ in started { break }
            await storage.close()
            try await inFlight.value
            await #expect(throws: PostgresStoreError.closed) {
                try await storage.read { try await $0.setting("written") }
            }
            let reopened = try await PostgresMFAStorage.open(location: scratch.location, poolSize: 1, logger: logger)
            #expect(try await reopened.read { try await $0.setting("written") } == "during close")
            await reopened.close()
        }
    }

    /// Ends every mfad session on the scratch database and waits until each has exited.
    /// - Returns: How many were ended.
    static func endSessions(of scratch: PostgresScratchDatabase) async throws -> Int64 {
        try await PostgresTestSQL.count("""
            SELECT count(*) FROM (SELECT pg_terminate_backend(pid, 5000) AS ended FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'mfad') AS t WHERE ended
            """, on: scratch)
    }
}
