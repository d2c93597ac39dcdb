import Logging
import MFACore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO

/// Runs transaction bodies on the node's ``PostgresConnections``.
///
/// Each attempt leases one connection and runs BEGIN, the body and COMMIT in the calling task
/// through a ``PostgresSession``: every statement is awaited, no thread is held while PostgreSQL
/// answers. A task running on the event loop of its connection (a request task on mfad's loops,
/// which the client's connections share) resumes on that loop without a thread hop.
///
/// Writes run in `SERIALIZABLE`. When PostgreSQL reports serialization_failure (40001) or
/// deadlock_detected (40P01), from any statement or from COMMIT, the transaction is rolled back
/// and the whole body runs again from the start (so every decision is re-made against the new
/// state), up to `maxAttempts` times, after a short jittered backoff that grows with each attempt
/// (awaited with `Task.sleep`, holding neither a connection nor a thread). Any other error rolls
/// back and is rethrown unchanged. A COMMIT that answers ROLLBACK (the body swallowed a failed
/// statement) is an error, never a silent success.
struct PostgresTransactionRunner: Sendable {
    enum Mode: Sendable {
        case write, read

        var beginSQL: String {
            switch self {
            case .write: "BEGIN ISOLATION LEVEL SERIALIZABLE READ WRITE"
            case .read: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
            }
        }
    }

    let connections: PostgresConnections
    let maxAttempts: Int
    let logger: Logger
    /// Transactions waiting or running, commits and failures, for metrics (shared by copies).
    let statistics = NIOLockedValueBox(StorageStatistics())

    /// Runs `body` in one transaction of `mode`, retried as described above.
    func run<T: Sendable>(_ mode: Mode, _ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        count(mode, pending: 1)
        defer { count(mode, pending: -1) }
        var attempt = 1
        while true {
            do {
                let value = try await withSession { session in try await Self.once(mode, session, body) }
                if mode == .write {
                    statistics.withLockedValue { $0.committedBatches += 1; $0.committedWrites += 1 }
                }
                return value
            } catch let error as PostgresStoreError where error.isTransient {
                guard attempt < maxAttempts else {
                    if mode == .write { statistics.withLockedValue { $0.failedBatches += 1 } }
                    throw PostgresStoreError.retriesExhausted(attempts: attempt, sqlState: error.sqlState ?? "?")
                }
                logger.debug("transaction conflicted; running it again", metadata: [
                    "sqlstate": "\(error.sqlState ?? "?")", "attempt": "\(attempt)"])
                try await Task.sleep(nanoseconds: Self.backoffNanoseconds(afterAttempt: attempt))
                attempt += 1
            }
        }
    }

    private func count(_ mode: Mode, pending delta: Int) {
        statistics.withLockedValue { statistics in
            switch mode {
            case .write: statistics.pendingWrites += delta
            case .read: statistics.pendingReads += delta
            }
        }
    }

    /// Runs `body` with a connection of its own, outside any transaction.
    func withSession<T: Sendable>(_ body: @Sendable (PostgresSession) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await connections.withConnection { connection in
            try await body(PostgresSession(connection: connection, logger: logger))
        }
    }

    private static func once<T>(_ mode: Mode, _ session: PostgresSession,
                                _ body: (PostgresSession) async throws -> T) async throws -> T {
        let value: T
        switch mode {
        case .write:
            // A write waits for its BEGIN: were BEGIN to fail, the body's statements would
            // otherwise commit one by one outside any transaction.
            try await session.execute(mode.beginSQL)
            do {
                value = try await body(session)
            } catch {
                await session.rollbackOrClose()
                throw error
            }
        case .read:
            // A read sends BEGIN and goes on: its first query follows it on the connection, which
            // saves a round trip. Should BEGIN fail, the answers are discarded, never used.
            let begin = session.send(mode.beginSQL)
            let result: Result<T, any Error>
            do {
                result = .success(try await body(session))
            } catch {
                result = .failure(error)
            }
            do {
                try await session.wait(begin, sql: mode.beginSQL)
                value = try result.get()
            } catch {
                await session.rollbackOrClose()
                throw error
            }
        }
        if mode == .read {
            // Nothing to make durable: COMMIT only ends the snapshot. It is sent, not waited for;
            // the connection runs it before whatever the next transaction sends.
            _ = session.send("COMMIT")
            return value
        }
        let commit: PostgresQueryResult
        do {
            commit = try await session.perform("COMMIT")
        } catch {
            // A failed COMMIT has ended the transaction on the server; a lost connection is closed.
            await session.rollbackOrClose()
            throw error
        }
        guard commit.metadata.command == "COMMIT" else { throw PostgresStoreError.commitRolledBack }
        return value
    }

    /// 1-2 ms after the first conflict, doubling up to about 64-128 ms, with full jitter so
    /// conflicting nodes do not retry in lockstep.
    static func backoffNanoseconds(afterAttempt attempt: Int) -> UInt64 {
        let base: UInt64 = 1_000_000 << UInt64(min(attempt - 1, 6))
        return base + UInt64.random(in: 0...base)
    }
}
