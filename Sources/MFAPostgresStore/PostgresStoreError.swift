import PostgresNIO

/// What went wrong in the PostgreSQL engine. Descriptions name the statement, the server's
/// SQLSTATE and message, the host and database; never a password or a bound value.
public enum PostgresStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The connection URL cannot be used; the reason names the part (never the password).
    case invalidURL(reason: String)
    /// No connection could be made to `server` (`user@host:port/db`, no password).
    case connectionFailed(server: String, reason: String)
    /// The server refused a statement. `sql` is the statement text with `$n` placeholders, never
    /// the bound values.
    case statementFailed(sqlState: String, message: String, sql: String)
    /// The connection broke (or the client refused) while running `sql`; the outcome of an
    /// unfinished COMMIT is unknown.
    case connectionLost(reason: String, sql: String)
    /// COMMIT answered ROLLBACK: a statement of the transaction had failed and its error was
    /// swallowed by the body, so nothing was stored.
    case commitRolledBack
    /// A write kept failing with serialization failures or deadlocks after `attempts` tries.
    case retriesExhausted(attempts: Int, sqlState: String)
    /// A stored value this build cannot read (an unknown enum name, a NULL where a value is
    /// required, a column of another type): the database was changed outside mfad or by a newer
    /// version. Fails the request closed.
    case unreadableValue(table: String, detail: String)
    /// The recorded schema history does not fit this build's migrations.
    case migrationRefused(reason: String)
    /// The storage was closed; open it again.
    case closed

    /// The server's SQLSTATE when the server refused a statement.
    public var sqlState: String? {
        switch self {
        case .statementFailed(let sqlState, _, _): sqlState
        case .retriesExhausted(_, let sqlState): sqlState
        default: nil
        }
    }

    /// Whether re-running the whole transaction may succeed: serialization_failure (40001) or
    /// deadlock_detected (40P01).
    public var isTransient: Bool {
        guard case .statementFailed(let sqlState, _, _) = self else { return false }
        return Self.transientSQLStates.contains(sqlState)
    }

    static let transientSQLStates: Set<String> = ["40001", "40P01"]

    public var description: String {
        switch self {
        case .invalidURL(let reason):
            "invalid PostgreSQL URL: \(reason) (expected postgres://user[:password]@host[:port]/database)"
        case .connectionFailed(let server, let reason):
            "cannot connect to PostgreSQL at \(server): \(reason)"
        case .statementFailed(let sqlState, let message, let sql):
            "PostgreSQL refused a statement (SQLSTATE \(sqlState)): \(message); statement: \(Self.abbreviated(sql))"
        case .connectionLost(let reason, let sql):
            "the PostgreSQL connection failed (\(reason)) while running: \(Self.abbreviated(sql))"
        case .commitRolledBack:
            "COMMIT rolled back: a statement of the transaction had failed; nothing was stored"
        case .retriesExhausted(let attempts, let sqlState):
            "the transaction still conflicted with concurrent ones (SQLSTATE \(sqlState)) after \(attempts) attempts"
        case .unreadableValue(let table, let detail):
            "unreadable stored value in \(table) (\(detail))"
        case .migrationRefused(let reason):
            "schema migration refused: \(reason)"
        case .closed:
            "the PostgreSQL storage is closed"
        }
    }

    /// The error for a failed statement, from postgres-nio's error: the server's SQLSTATE and
    /// message when the server answered, otherwise the client-side code. Never the bound values
    /// or the server's DETAIL field (which can quote them).
    static func from(_ error: any Error, sql: String) -> PostgresStoreError {
        if let error = error as? PostgresStoreError { return error }
        guard let error = error as? PSQLError else {
            return .connectionLost(reason: "\(type(of: error))", sql: sql)
        }
        if let serverInfo = error.serverInfo, let sqlState = serverInfo[.sqlState] {
            return .statementFailed(sqlState: sqlState, message: serverInfo[.message] ?? "no message", sql: sql)
        }
        return .connectionLost(reason: error.code.description, sql: sql)
    }

    private static func abbreviated(_ sql: String) -> String {
        let flat = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.count <= 160 ? flat : String(flat.prefix(157)) + "..."
    }
}
