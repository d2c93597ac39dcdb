import MFACore
import NIOCore
import PostgresNIO

/// Typed, strict access to one result row by column name. A NULL where a value is required, a
/// missing column or a column of another type throws ``PostgresStoreError/unreadableValue(table:detail:)``
/// naming the column and the types, never the value.
struct PostgresRowReader {
    private let row: PostgresRandomAccessRow
    /// The table the row comes from, for error messages.
    let table: String

    init(_ row: PostgresRow, table: String) {
        self.row = row.makeRandomAccess()
        self.table = table
    }

    func string(_ column: String) throws -> String { try required(column, String.self) }
    func optionalString(_ column: String) throws -> String? { try optional(column, String.self) }
    func int64(_ column: String) throws -> Int64 { try required(column, Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try optional(column, Int64.self) }
    func bool(_ column: String) throws -> Bool { try required(column, Bool.self) }

    func int(_ column: String) throws -> Int {
        let value = try int64(column)
        guard let int = Int(exactly: value) else { throw unreadable(column, "does not fit Int") }
        return int
    }

    func bytes(_ column: String) throws -> [UInt8] {
        Array(try required(column, ByteBuffer.self).readableBytesView)
    }

    func optionalBytes(_ column: String) throws -> [UInt8]? {
        try optional(column, ByteBuffer.self).map { Array($0.readableBytesView) }
    }

    /// The timestamp in the Unix-seconds column.
    func timestamp(_ column: String) throws -> Timestamp { Timestamp(unixSeconds: try int64(column)) }
    /// The timestamp in the Unix-seconds column, or nil for NULL.
    func optionalTimestamp(_ column: String) throws -> Timestamp? {
        try optionalInt64(column).map(Timestamp.init(unixSeconds:))
    }

    /// The raw-value enum named in the TEXT column.
    func enumeration<T: RawRepresentable>(_ column: String, _ type: T.Type) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try string(column)) else { throw unreadable(column, "an unknown \(T.self) name") }
        return value
    }

    /// The column, decoded as `T`, or nil for NULL.
    private func optional<T: PostgresDecodable>(_ column: String, _ type: T.Type) throws -> T? {
        guard row.contains(column) else { throw unreadable(column, "no such column") }
        do {
            return try row[column].decodedIfPresent(T.self)
        } catch {
            throw unreadable(column, error.problem)
        }
    }

    private func required<T: PostgresDecodable>(_ column: String, _ type: T.Type) throws -> T {
        guard let value = try optional(column, type) else { throw unreadable(column, "NULL where \(T.self) is required") }
        return value
    }

    /// An error naming the column and what is wrong with it.
    func unreadable(_ column: String, _ problem: String) -> PostgresStoreError {
        .unreadableValue(table: table, detail: "column \(column): \(problem)")
    }
}

/// Why a cell did not decode, for the reader's error that names the column (never the value).
struct CellDecodingProblem: Error {
    let problem: String
}

extension PostgresCell {
    /// The cell as `T`, or nil for NULL: the one decoding step of both row readers
    /// (``PostgresRowReader`` by name, `PostgresIndexedRow` by index).
    /// - Throws: ``CellDecodingProblem`` when the cell's type does not decode as `T`.
    func decodedIfPresent<T: PostgresDecodable>(_ type: T.Type) throws(CellDecodingProblem) -> T? {
        guard bytes != nil else { return nil }
        do {
            return try decode(T.self)
        } catch {
            throw CellDecodingProblem(problem: "\(dataType) does not decode as \(T.self)")
        }
    }
}
