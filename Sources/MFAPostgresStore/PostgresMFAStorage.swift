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
    let connections: PostgresConnections
    let runner: PostgresTransactionRunner
    let logger: Logger

    private init(location: PostgresLocation, connections: PostgresConnections, runner: PostgresTransactionRunner, logger: Logger) {
        var shown = location
        shown.password = nil
        self.location = shown
        self.connections = connections
        self.runner = runner
        self.logger = logger
    }

    /// Connects to the database at `url` and applies the schema migrations (nodes starting
    /// together take turns on an advisory lock).
    /// - Parameters:
    ///   - url: `postgres://user[:password]@host[:port]/database` (see ``PostgresLocation``).
    ///   - password: Used when the URL has no password; when both are nil, `MFAD_DB_PASSWORD`
    ///     from the environment, else none.
    ///   - poolSize: How many connections (and transactions running at once) this node uses at most.
    ///   - maxAttempts: How often a write is tried when it keeps conflicting with concurrent ones.
    ///   - eventLoopGroup: The event loops the connections run on (mfad passes its server's, so a
    ///     request task and its connection can share a thread).
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
        let loginPassword = location.resolvedPassword(fallback: password)
        // The migrations run on a connection of their own, made before the client starts: a wrong
        // password or an unreachable server fails the start at once with the server's reason
        // (a lease from the client would wait while it retries).
        let applied = try await location.withOwnConnection(password: loginPassword, eventLoopGroup: eventLoopGroup,
                                                           logger: logger) { session in
            try await PostgresMigrator.migrate(session)
        }
        if !applied.isEmpty {
            logger.info("applied PostgreSQL schema migrations", metadata: [
                "versions": "\(applied.map(String.init).joined(separator: ","))", "database": "\(location.description)"])
        }
        let connections = try await PostgresConnections.start(location: location, password: loginPassword,
                                                              maximumConnections: poolSize, eventLoopGroup: eventLoopGroup,
                                                              logger: logger)
        let runner = PostgresTransactionRunner(connections: connections, maxAttempts: max(1, maxAttempts), logger: logger)
        return PostgresMFAStorage(location: location, connections: connections, runner: runner, logger: logger)
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

    /// Refuses new transactions, waits for those running, then closes every connection.
    public func close() async {
        await connections.close()
    }
}
