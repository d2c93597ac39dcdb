import MFACore

/// One result row, read by column index: the position in the statement's select list, which the
/// mapping that wrote the statement knows. A NULL where a value is required, or a value of
/// another type, throws ``StoredValueError`` naming the column, never the value.
public protocol SQLRow: SendableMetatype {
    /// The table the row comes from, for error messages.
    var table: String { get }
    func int64(_ column: Int) throws -> Int64
    func optionalInt64(_ column: Int) throws -> Int64?
    func string(_ column: Int) throws -> String
    func optionalString(_ column: Int) throws -> String?
    func bytes(_ column: Int) throws -> [UInt8]
    func optionalBytes(_ column: Int) throws -> [UInt8]?
    func bool(_ column: Int) throws -> Bool
}

extension SQLRow {
    /// The integer column as `Int`.
    public func int(_ column: Int) throws -> Int {
        let value = try int64(column)
        guard let int = Int(exactly: value) else { throw unreadable(column, "does not fit Int") }
        return int
    }

    /// The timestamp in the Unix-seconds column.
    public func timestamp(_ column: Int) throws -> Timestamp { Timestamp(unixSeconds: try int64(column)) }

    /// The timestamp in the Unix-seconds column, or nil for NULL.
    public func optionalTimestamp(_ column: Int) throws -> Timestamp? {
        try optionalInt64(column).map(Timestamp.init(unixSeconds:))
    }

    /// The raw-value enum named in the text column.
    public func enumeration<T: RawRepresentable>(_ column: Int, _ type: T.Type) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try string(column)) else { throw unreadable(column, "an unknown \(T.self) name") }
        return value
    }

    /// The raw-value enum named in the text column, or nil for NULL.
    public func optionalEnumeration<T: RawRepresentable>(_ column: Int, _ type: T.Type) throws -> T?
    where T.RawValue == String {
        guard let name = try optionalString(column) else { return nil }
        guard let value = T(rawValue: name) else { throw unreadable(column, "an unknown \(T.self) name") }
        return value
    }

    /// The comma-separated Unix seconds in the text column (``StoredEncoding``).
    public func times(_ column: Int) throws -> [Timestamp] {
        guard let times = StoredEncoding.times(from: try string(column)) else {
            throw unreadable(column, "not comma-separated Unix seconds")
        }
        return times
    }

    /// An error naming the table, the column and what is wrong with it.
    public func unreadable(_ column: Int, _ problem: String) -> StoredValueError {
        StoredValueError(table: table, detail: "column \(column): \(problem)")
    }
}

/// A stored value this build cannot read (an unknown enum name, a NULL where a value belongs, a
/// column of another type): the database was changed outside mfad or by a newer version. The
/// request fails closed.
public struct StoredValueError: Error, CustomStringConvertible, Sendable {
    /// The table the value comes from.
    public let table: String
    /// Which column or row, and what is wrong; never the value.
    public let detail: String

    /// - Parameters: see the properties.
    public init(table: String, detail: String) {
        self.table = table
        self.detail = detail
    }

    public var description: String { "unreadable stored value in \(table) (\(detail))" }
}
