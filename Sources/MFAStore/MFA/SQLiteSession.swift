import CSQLite
import MFACore
import MFASQL

/// The SQLite engine's ``SQLSession``: statements on one connection inside the transaction the
/// database opened (a savepoint of the writer's batch, or a reader's snapshot). Nothing here
/// suspends: SQLite answers on the calling thread.
struct SQLiteSession: SQLSession {
    let connection: SQLiteConnection

    func query<Record>(_ statement: SQLStatement, _ values: [SQLValue],
                       _ map: (SQLiteStatementRow) throws -> Record) async throws -> [Record] {
        try rows(statement, values, map)
    }

    /// ``query(_:_:_:)`` without `async`, for callers on the connection's thread.
    func rows<Record>(_ statement: SQLStatement, _ values: [SQLValue],
                      _ map: (SQLiteStatementRow) throws -> Record) throws -> [Record] {
        var records: [Record] = []
        try connection.forEachStatementRow(statement.sqlite, values.map(Self.binding)) { handle in
            records.append(try map(SQLiteStatementRow(handle: handle, table: statement.table)))
        }
        return records
    }

    @discardableResult
    func execute(_ statement: SQLStatement, _ values: [SQLValue]) async throws -> Int {
        try connection.run(statement.sqlite, values.map(Self.binding))
    }

    func newOutboxID() async throws -> Int64 {
        // The writer is the only one inserting, inside this transaction: the next rowid is free.
        try rows(Self.nextOutboxID, []) { row in try row.int64(0) }.first ?? 1
    }

    private static let nextOutboxID = SQLStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM outbox", table: "outbox")

    static func binding(_ value: SQLValue) -> SQLiteValue {
        switch value {
        case .integer(let integer): .integer(integer)
        case .text(let text): .text(text)
        case .blob(let bytes): .blob(bytes)
        case .bool(let bool): .integer(bool ? 1 : 0)
        case .null: .null
        }
    }
}

/// The row a statement is stepped onto, read by column index; valid only inside the `map` call.
struct SQLiteStatementRow: SQLRow {
    let handle: OpaquePointer
    let table: String

    private func value(_ column: Int) throws -> SQLiteValue {
        guard column >= 0, column < Int(sqlite3_column_count(handle)) else { throw unreadable(column, "no such column") }
        return SQLiteStatement.columnValue(handle, Int32(column))
    }

    func optionalInt64(_ column: Int) throws -> Int64? {
        switch try value(column) {
        case .integer(let integer): return integer
        case .null: return nil
        default: throw unreadable(column, "not an integer")
        }
    }

    func int64(_ column: Int) throws -> Int64 {
        guard let value = try optionalInt64(column) else { throw unreadable(column, "NULL where an integer is required") }
        return value
    }

    func optionalString(_ column: Int) throws -> String? {
        switch try value(column) {
        case .text(let text): return text
        case .null: return nil
        default: throw unreadable(column, "not text")
        }
    }

    func string(_ column: Int) throws -> String {
        guard let value = try optionalString(column) else { throw unreadable(column, "NULL where text is required") }
        return value
    }

    func optionalBytes(_ column: Int) throws -> [UInt8]? {
        switch try value(column) {
        case .blob(let bytes): return bytes
        case .null: return nil
        default: throw unreadable(column, "not a blob")
        }
    }

    func bytes(_ column: Int) throws -> [UInt8] {
        guard let value = try optionalBytes(column) else { throw unreadable(column, "NULL where a blob is required") }
        return value
    }

    func bool(_ column: Int) throws -> Bool {
        switch try int64(column) {
        case 0: return false
        case 1: return true
        default: throw unreadable(column, "not 0 or 1")
        }
    }
}

/// The MFA transaction on SQLite.
typealias SQLiteMFATransaction = SQLMFATransaction<SQLiteSession>

extension SQLMFATransaction where Session == SQLiteSession {
    /// A transaction body's view of `connection`, inside the transaction the database opened.
    init(connection: SQLiteConnection, afterCommit: CommitActions = CommitActions()) {
        self.init(session: SQLiteSession(connection: connection), afterCommit: afterCommit)
    }
}
