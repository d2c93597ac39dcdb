import Logging
import MFACore
import MFASQL
import NIOCore
import PostgresNIO

/// One leased connection, used by the task running a transaction body: statements go out in
/// order and are awaited without holding a thread. Statements are sent through postgres-nio's
/// future API, which writes them on the connection at once, so a statement sent and not yet
/// awaited (``send(_:)``) is pipelined ahead of the next.
struct PostgresSession: SQLSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and returns the whole result.
    /// - Throws: ``PostgresStoreError`` (the server's SQLSTATE and message, or a broken connection).
    func perform(_ sql: String, _ values: [PostgresValue] = []) async throws -> PostgresQueryResult {
        do {
            return try await submit(PostgresQuery(unsafeSQL: sql, binds: PostgresValue.bindings(values))).get()
        } catch {
            throw PostgresStoreError.from(error, sql: sql)
        }
    }

    /// Sends a statement without waiting for its answer: the connection runs statements in the
    /// order they were sent. Pass the future to ``wait(_:sql:)`` before relying on its effect.
    func send(_ sql: String) -> EventLoopFuture<PostgresQueryResult> {
        submit(PostgresQuery(unsafeSQL: sql, binds: PostgresBindings()))
    }

    /// Writes `query` on the connection from the connection's own event loop, always through the
    /// loop's task queue, also when called on the loop.
    ///
    /// The queue keeps the connection's statements in the order they were sent: a read's COMMIT,
    /// sent and not awaited from another thread, is queued there, and the next transaction on
    /// the connection (maybe a request task running on that very loop) must not write its BEGIN
    /// ahead of it (measured: BEGIN then ran inside the read's transaction, SQLSTATE 25001).
    ///
    /// And on the loop a closed connection is seen before the write: postgres-nio writes a
    /// statement with no promise for the write, so a statement written to a channel that has
    /// already closed (the server ended the session, a failover) is dropped and its answer never
    /// comes; the transaction would hang and keep its connection leased. An open channel still has
    /// its handler, which answers every statement.
    private func submit(_ query: PostgresQuery) -> EventLoopFuture<PostgresQueryResult> {
        connection.eventLoop.flatSubmit { [self] in submitOnLoop(query) }
    }

    private func submitOnLoop(_ query: PostgresQuery) -> EventLoopFuture<PostgresQueryResult> {
        guard !connection.isClosed else {
            return connection.eventLoop.makeFailedFuture(
                PostgresStoreError.connectionLost(reason: "the connection is closed", sql: query.sql))
        }
        return connection.query(query, logger: logger)
    }

    /// Waits for a statement sent with ``send(_:)``.
    /// - Throws: ``PostgresStoreError``, as `perform` does.
    func wait(_ sent: EventLoopFuture<PostgresQueryResult>, sql: String) async throws {
        do {
            _ = try await sent.get()
        } catch {
            throw PostgresStoreError.from(error, sql: sql)
        }
    }

    /// Runs a statement that returns no rows.
    /// - Returns: How many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ values: [PostgresValue] = []) async throws -> Int {
        try await perform(sql, values).metadata.rows ?? 0
    }

    /// Runs a query and returns its rows, read by name as rows of `table`.
    func query(_ sql: String, _ values: [PostgresValue] = [], table: String) async throws -> [PostgresRowReader] {
        try await perform(sql, values).rows.map { PostgresRowReader($0, table: table) }
    }

    /// Runs a query and returns its first row, if any.
    func queryOne(_ sql: String, _ values: [PostgresValue] = [], table: String) async throws -> PostgresRowReader? {
        try await perform(sql, values).rows.first.map { PostgresRowReader($0, table: table) }
    }

    /// Ends a failed transaction. When even ROLLBACK fails the connection is in an unknown state,
    /// so it is closed: the pool then replaces it instead of handing it out mid-transaction.
    func rollbackOrClose() async {
        do {
            try await execute("ROLLBACK")
        } catch {
            logger.warning("ROLLBACK failed; closing the connection", metadata: ["error": "\(error)"])
            try? await connection.close().get()
        }
    }

    // MARK: SQLSession

    func query<Record>(_ statement: SQLStatement, _ values: [SQLValue],
                       _ map: (PostgresIndexedRow) throws -> Record) async throws -> [Record] {
        let result = try await perform(statement.postgres, values.map(Self.binding))
        return try result.rows.map { try map(PostgresIndexedRow(row: $0, table: statement.table)) }
    }

    @discardableResult
    func execute(_ statement: SQLStatement, _ values: [SQLValue]) async throws -> Int {
        try await perform(statement.postgres, values.map(Self.binding)).metadata.rows ?? 0
    }

    func newOutboxID() async throws -> Int64 {
        // The identity's sequence: unique across nodes and never handed out twice, even when this
        // transaction is retried or rolled back.
        guard let id = try await query(Self.nextOutboxID, [], { row in try row.int64(0) }).first else {
            throw StoredValueError(table: "outbox", detail: "nextval returned no row")
        }
        return id
    }

    private static let nextOutboxID = SQLStatement("SELECT nextval(pg_get_serial_sequence('outbox', 'id'))", table: "outbox")

    static func binding(_ value: SQLValue) -> PostgresValue {
        switch value {
        case .integer(let integer): .integer(integer)
        case .text(let text): .text(text)
        case .blob(let bytes): .bytes(bytes)
        case .bool(let bool): .bool(bool)
        case .null: .null
        }
    }
}

/// A result row read by column index.
struct PostgresIndexedRow: SQLRow {
    private let cells: [PostgresCell]
    let table: String

    /// - Parameters:
    ///   - row: A result row; its cells are split once, then read by index.
    ///   - table: The table it comes from, for error messages.
    init(row: PostgresRow, table: String) {
        self.cells = Array(row)
        self.table = table
    }

    private func cell<T: PostgresDecodable>(_ column: Int, _ type: T.Type) throws -> T? {
        guard cells.indices.contains(column) else { throw unreadable(column, "no such column") }
        do {
            return try cells[column].decodedIfPresent(T.self)
        } catch {
            throw unreadable(column, error.problem)
        }
    }

    private func required<T: PostgresDecodable>(_ column: Int, _ type: T.Type) throws -> T {
        guard let value = try cell(column, type) else { throw unreadable(column, "NULL where \(T.self) is required") }
        return value
    }

    func int64(_ column: Int) throws -> Int64 { try required(column, Int64.self) }
    func optionalInt64(_ column: Int) throws -> Int64? { try cell(column, Int64.self) }
    func string(_ column: Int) throws -> String { try required(column, String.self) }
    func optionalString(_ column: Int) throws -> String? { try cell(column, String.self) }
    func bool(_ column: Int) throws -> Bool { try required(column, Bool.self) }
    func bytes(_ column: Int) throws -> [UInt8] { Array(try required(column, ByteBuffer.self).readableBytesView) }
    func optionalBytes(_ column: Int) throws -> [UInt8]? {
        try cell(column, ByteBuffer.self).map { Array($0.readableBytesView) }
    }
}

/// The MFA transaction on PostgreSQL.
typealias PostgresMFATransaction = SQLMFATransaction<PostgresSession>
