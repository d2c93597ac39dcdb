/// What an engine gives the shared transaction (``SQLMFATransaction``): statements run in order
/// on the one connection of the engine's open transaction. The engine owns the transaction
/// itself (begin, commit, retries, savepoints); a session only runs statements.
public protocol SQLSession {
    /// A row as the engine reads it, valid only inside the `map` call it is handed to.
    associatedtype Row: SQLRow

    /// Runs a query and maps each row as it is read.
    /// - Throws: the engine's error, or what `map` throws.
    func query<Record>(_ statement: SQLStatement, _ values: [SQLValue], _ map: (Row) throws -> Record) async throws -> [Record]

    /// Runs a statement that returns no rows.
    /// - Returns: How many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ statement: SQLStatement, _ values: [SQLValue]) async throws -> Int

    /// A new outbox id, unique even across a retried or rolled-back transaction where the
    /// engine can promise it (a sequence on PostgreSQL; the single writer's next rowid on SQLite).
    func newOutboxID() async throws -> Int64
}

extension SQLSession {
    /// The first row, mapped, or nil.
    public func queryOne<Record>(_ statement: SQLStatement, _ values: [SQLValue],
                                 _ map: (Row) throws -> Record) async throws -> Record? {
        try await query(statement, values, map).first
    }
}
