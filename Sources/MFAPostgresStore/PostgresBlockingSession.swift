import Logging
import NIOCore
import PostgresNIO

/// One checked-out connection, used synchronously by the thread running a transaction body.
///
/// `MFATransaction` is synchronous, so each statement goes through postgres-nio's
/// `EventLoopFuture` API and is awaited with `wait()`. That is sound here because the calling
/// thread is a `NIOThreadPool` thread (never an event loop thread, which `wait()` would
/// deadlock, and never a Swift concurrency thread, which blocking would starve): the event loop
/// that drives the connection keeps running while this thread waits. One session is used by one
/// thread at a time, so the statements of a transaction go out strictly in order.
struct PostgresBlockingSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and returns the whole result.
    /// - Throws: ``PostgresStoreError`` (the server's SQLSTATE and message, or a broken connection).
    func perform(_ sql: String, _ values: [PostgresValue] = []) throws -> PostgresQueryResult {
        let query = PostgresQuery(unsafeSQL: sql, binds: PostgresValue.bindings(values))
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw PostgresStoreError.from(error, sql: sql)
        }
    }

    /// Sends a statement without waiting for its answer: the connection runs statements in the
    /// order they were sent, so the next `perform` goes after it. Pass the future to ``wait(_:)``
    /// before relying on the statement's effect.
    func send(_ sql: String) -> EventLoopFuture<PostgresQueryResult> {
        connection.query(PostgresQuery(unsafeSQL: sql, binds: PostgresBindings()), logger: logger)
    }

    /// Waits for a statement sent with ``send(_:)``.
    /// - Throws: ``PostgresStoreError``, as `perform` does.
    func wait(_ sent: EventLoopFuture<PostgresQueryResult>, sql: String) throws {
        do {
            _ = try sent.wait()
        } catch {
            throw PostgresStoreError.from(error, sql: sql)
        }
    }

    /// Runs a statement that returns no rows.
    /// - Returns: How many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ values: [PostgresValue] = []) throws -> Int {
        try perform(sql, values).metadata.rows ?? 0
    }

    /// Runs a query and returns its rows, read as rows of `table` (for error messages).
    func query(_ sql: String, _ values: [PostgresValue] = [], table: String) throws -> [PostgresRowReader] {
        try perform(sql, values).rows.map { PostgresRowReader($0, table: table) }
    }

    /// Runs a query and returns its first row, if any.
    func queryOne(_ sql: String, _ values: [PostgresValue] = [], table: String) throws -> PostgresRowReader? {
        try perform(sql, values).rows.first.map { PostgresRowReader($0, table: table) }
    }

    /// Ends a failed transaction. When even ROLLBACK fails the connection is in an unknown state,
    /// so it is closed: the pool then replaces it instead of handing it out mid-transaction.
    func rollbackOrClose() {
        do {
            try execute("ROLLBACK")
        } catch {
            logger.warning("ROLLBACK failed; closing the connection", metadata: ["error": "\(error)"])
            try? connection.close().wait()
        }
    }
}
