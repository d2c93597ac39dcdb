/// One materialised result row: a copy of the values, safe to keep and to send across tasks.
///
/// Typed accessors (`row.int64("id")`, `row.optionalString(2)`, ...) come from
/// ``SQLiteRowReading``.
public struct SQLiteRow: SQLiteRowReading, Sendable, Hashable {
    /// The column names, shared by every row of one query.
    public let columnNames: [String]
    /// The column values, in column order.
    public let values: [SQLiteValue]
    /// The SQL that produced the row.
    public let sql: String

    /// Makes a row from names and values (mainly for tests and adapters).
    /// - Parameters:
    ///   - columnNames: The column names, one per value.
    ///   - values: The values, in column order.
    ///   - sql: The SQL the row stands for, used in error messages.
    public init(columnNames: [String], values: [SQLiteValue], sql: String) {
        precondition(columnNames.count == values.count, "SQLiteRow needs one name per value")
        self.columnNames = columnNames
        self.values = values
        self.sql = sql
    }

    public var columnCount: Int {
        values.count
    }

    public func columnName(at index: Int) -> String? {
        columnNames.indices.contains(index) ? columnNames[index] : nil
    }

    public func columnIndex(named name: String) -> Int? {
        // A linear scan beats hashing for the handful of columns a query returns.
        columnNames.firstIndex(of: name)
    }

    public func value(at index: Int) -> SQLiteValue? {
        values.indices.contains(index) ? values[index] : nil
    }
}
