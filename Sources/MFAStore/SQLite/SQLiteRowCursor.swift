import CSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The current row of a statement being stepped by ``SQLiteConnection/forEachRow(_:_:_:)``: values
/// are read straight from SQLite, with no row array built.
///
/// The cursor is non-copyable and only lent to the closure, so it cannot outlive the step it
/// describes. Typed accessors come from ``SQLiteRowReading``.
public struct SQLiteRowCursor: ~Copyable, SQLiteRowReading {
    private let statement: OpaquePointer
    /// The SQL being stepped.
    public let sql: String

    init(statement: OpaquePointer, sql: String) {
        self.statement = statement
        self.sql = sql
    }

    public var columnCount: Int {
        Int(sqlite3_column_count(statement))
    }

    public func columnName(at index: Int) -> String? {
        guard index >= 0, index < columnCount, let name = sqlite3_column_name(statement, Int32(index)) else {
            return nil
        }
        return String(cString: name)
    }

    public func columnIndex(named name: String) -> Int? {
        let count = sqlite3_column_count(statement)
        return name.withCString { wanted in
            for column in 0..<count {
                if let current = sqlite3_column_name(statement, column), strcmp(current, wanted) == 0 {
                    return Int(column)
                }
            }
            return nil
        }
    }

    public func value(at index: Int) -> SQLiteValue? {
        guard index >= 0, index < columnCount else {
            return nil
        }
        return SQLiteStatement.columnValue(statement, Int32(index))
    }

    /// Copies the current row into a ``SQLiteRow`` that may be kept.
    /// - Returns: The materialised row.
    public func materialize() -> SQLiteRow {
        SQLiteStatement.materializeRow(statement, sql: sql)
    }
}

@available(*, unavailable, message: "a cursor is only valid inside the forEachRow closure, on its connection's thread")
extension SQLiteRowCursor: Sendable {}
