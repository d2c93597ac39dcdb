import Logging
import MFACore
import MFASQL
import NIOCore
import NIOPosix
import PostgresNIO

/// `MFAStorage` (and the delivery side, `OutboxQueue`) on a PostgreSQL database shared by any
/// number of mfad nodes.
///
/// Every `write` is one `SERIALIZABLE` transaction, re-run whole on a serialization failure or a
/// deadlock, so each read-modify-write decision (attempt counters, locks, single use of codes, the
/// TOTP step, recovery codes) is made against one serialised view across all nodes, never in
/// memory; it returns only after COMMIT succeeded. Every `read` is one `REPEATABLE READ READ ONLY`
/// transaction (a consistent snapshot; writes are refused). See ``PostgresTransactionRunner``.
public final class PostgresMFAStorage: MFAStorage {
    /// Where the database is (the password is not kept here).
    public let location: PostgresLocation
    let pool: PostgresConnectionPool
    let runner: PostgresTransactionRunner
    let logger: Logger

    private init(location: PostgresLocation, pool: PostgresConnectionPool, runner: PostgresTransactionRunner, logger: Logger) {
        var shown = location
        shown.password = nil
        self.location = shown
        self.pool = pool
        self.runner = runner
        self.logger = logger
    }

    /// Connects to the database at `url` and applies the schema migrations (nodes starting
    /// together take turns on an advisory lock).
    /// - Parameters:
    ///   - url: `postgres://user[:password]@host[:port]/database` (see ``PostgresLocation``).
    ///   - password: Used when the URL has no password; when both are nil, `MFAD_DB_PASSWORD`
    ///     from the environment, else none.
    ///   - poolSize: How many connections (and transactions running at once) this node uses.
    ///   - maxAttempts: How often a write is tried when it keeps conflicting with concurrent ones.
    ///   - eventLoopGroup: The event loops the connections run on.
    ///   - logger: Where connection problems and retries are logged (never passwords or values).
    /// - Returns: The opened storage; call ``close()`` when done.
    /// - Throws: ``PostgresStoreError`` when the URL is wrong, the server cannot be reached or
    ///   refuses the login, or the schema history does not fit this build.
    public static func open(url: String, password: String? = nil, poolSize: Int = 8, maxAttempts: Int = 10,
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                            logger: Logger) async throws -> PostgresMFAStorage {
        try await open(location: try PostgresLocation(url: url), password: password, poolSize: poolSize,
                       maxAttempts: maxAttempts, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Connects to the database at `location` and applies the schema migrations; see
    /// ``open(url:password:poolSize:maxAttempts:eventLoopGroup:logger:)``.
    public static func open(location: PostgresLocation, password: String? = nil, poolSize: Int = 8, maxAttempts: Int = 10,
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                            logger: Logger) async throws -> PostgresMFAStorage {
        guard poolSize > 0 else { throw PostgresStoreError.invalidURL(reason: "the pool size must be at least 1, got \(poolSize)") }
        let pool = PostgresConnectionPool(location: location, password: location.resolvedPassword(fallback: password),
                                          size: poolSize, eventLoopGroup: eventLoopGroup, logger: logger)
        let runner = PostgresTransactionRunner(pool: pool, maxAttempts: max(1, maxAttempts), logger: logger)
        let storage = PostgresMFAStorage(location: location, pool: pool, runner: runner, logger: logger)
        do {
            let applied = try await runner.withSession { session in try await PostgresMigrator.migrate(session) }
            if !applied.isEmpty {
                logger.info("applied PostgreSQL schema migrations", metadata: [
                    "versions": "\(applied.map(String.init).joined(separator: ","))", "database": "\(location.description)"])
            }
        } catch {
            await storage.close()
            throw error
        }
        return storage
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) async throws -> T) async throws -> T {
        try await Self.committing {
            try await runner.run(.write) { session in
                let tx = PostgresMFATransaction(session: session)
                return (try await body(tx), tx.afterCommit.take())
            }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) async throws -> T) async throws -> T {
        try await Self.committing {
            try await runner.run(.read) { session in
                let tx = PostgresMFATransaction(session: session)
                return (try await body(tx), tx.afterCommit.take())
            }
        }
    }

    /// Waits for running transactions, then closes every connection and stops the threads.
    public func close() async {
        await pool.close()
    }
}
