/// Typed access to the columns of one result row, by index (from 0) or by column name.
///
/// Accessors are strict: asking for an `Int64` where the column holds TEXT throws
/// ``SQLiteError/Kind/typeMismatch``, and a non-optional accessor that finds NULL throws
/// ``SQLiteError/Kind/unexpectedNull``; nothing is converted silently and nothing traps. The only
/// widening allowed is INTEGER to `Double`, when exact. `Bool` reads the integers 0 and 1 only.
///
/// Conformers provide the four requirements; every typed accessor comes from the extension.
public protocol SQLiteRowReading: ~Copyable {
    /// The SQL that produced the row (for error messages; never contains bound values).
    var sql: String { get }
    /// The number of columns in the row.
    var columnCount: Int { get }
    /// The name of the column at `index` as SQLite reports it (the `AS` alias if there is one).
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The name, or `nil` when there is no such column.
    func columnName(at index: Int) -> String?
    /// The index of the first column named `name` (exact, case-sensitive match).
    /// - Parameters:
    ///   - name: The column name or alias.
    /// - Returns: The index, or `nil` when no column has that name.
    func columnIndex(named name: String) -> Int?
    /// The value of the column at `index`.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The value, or `nil` when there is no such column.
    func value(at index: Int) -> SQLiteValue?
}

extension SQLiteRowReading where Self: ~Copyable {
    // MARK: Raw values

    /// The raw value of the column named `name`.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The value, possibly ``SQLiteValue/null``.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`.
    public func value(_ name: String) throws -> SQLiteValue {
        try checkedValue(try index(of: name))
    }

    // MARK: Int64

    /// The INTEGER at `index`.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The integer.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func int64(_ index: Int) throws -> Int64 {
        try required(index, "Int64", Self.asInt64)
    }

    /// The INTEGER in the column named `name`.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The integer.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func int64(_ name: String) throws -> Int64 {
        try required(try index(of: name), "Int64", Self.asInt64)
    }

    /// The INTEGER at `index`, or `nil` for NULL.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The integer or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalInt64(_ index: Int) throws -> Int64? {
        try optional(index, "Int64", Self.asInt64)
    }

    /// The INTEGER in the column named `name`, or `nil` for NULL.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The integer or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalInt64(_ name: String) throws -> Int64? {
        try optional(try index(of: name), "Int64", Self.asInt64)
    }

    // MARK: Int

    /// The INTEGER at `index` as `Int`.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The integer.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func int(_ index: Int) throws -> Int {
        try required(index, "Int", Self.asInt)
    }

    /// The INTEGER in the column named `name` as `Int`.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The integer.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func int(_ name: String) throws -> Int {
        try required(try index(of: name), "Int", Self.asInt)
    }

    /// The INTEGER at `index` as `Int`, or `nil` for NULL.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The integer or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalInt(_ index: Int) throws -> Int? {
        try optional(index, "Int", Self.asInt)
    }

    /// The INTEGER in the column named `name` as `Int`, or `nil` for NULL.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The integer or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalInt(_ name: String) throws -> Int? {
        try optional(try index(of: name), "Int", Self.asInt)
    }

    // MARK: Bool

    /// The INTEGER 0 or 1 at `index` as `Bool`.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: `false` for 0, `true` for 1.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch` (also for
    ///   any integer other than 0 and 1).
    public func bool(_ index: Int) throws -> Bool {
        try required(index, "Bool", Self.asBool)
    }

    /// The INTEGER 0 or 1 in the column named `name` as `Bool`.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: `false` for 0, `true` for 1.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func bool(_ name: String) throws -> Bool {
        try required(try index(of: name), "Bool", Self.asBool)
    }

    /// The INTEGER 0 or 1 at `index` as `Bool`, or `nil` for NULL.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The boolean or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalBool(_ index: Int) throws -> Bool? {
        try optional(index, "Bool", Self.asBool)
    }

    /// The INTEGER 0 or 1 in the column named `name` as `Bool`, or `nil` for NULL.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The boolean or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalBool(_ name: String) throws -> Bool? {
        try optional(try index(of: name), "Bool", Self.asBool)
    }

    // MARK: Double

    /// The REAL (or INTEGER, widened) at `index`.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The double.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func double(_ index: Int) throws -> Double {
        try required(index, "Double", Self.asDouble)
    }

    /// The REAL (or INTEGER, widened) in the column named `name`.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The double.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func double(_ name: String) throws -> Double {
        try required(try index(of: name), "Double", Self.asDouble)
    }

    /// The REAL (or INTEGER, widened) at `index`, or `nil` for NULL.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The double or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalDouble(_ index: Int) throws -> Double? {
        try optional(index, "Double", Self.asDouble)
    }

    /// The REAL (or INTEGER, widened) in the column named `name`, or `nil` for NULL.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The double or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalDouble(_ name: String) throws -> Double? {
        try optional(try index(of: name), "Double", Self.asDouble)
    }

    // MARK: String

    /// The TEXT at `index`, decoded as UTF-8.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The string.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func string(_ index: Int) throws -> String {
        try required(index, "String", Self.asString)
    }

    /// The TEXT in the column named `name`, decoded as UTF-8.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The string.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func string(_ name: String) throws -> String {
        try required(try index(of: name), "String", Self.asString)
    }

    /// The TEXT at `index`, or `nil` for NULL.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The string or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalString(_ index: Int) throws -> String? {
        try optional(index, "String", Self.asString)
    }

    /// The TEXT in the column named `name`, or `nil` for NULL.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The string or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalString(_ name: String) throws -> String? {
        try optional(try index(of: name), "String", Self.asString)
    }

    // MARK: Blob

    /// The BLOB at `index`.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The bytes (empty for an empty blob).
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func blob(_ index: Int) throws -> [UInt8] {
        try required(index, "[UInt8]", Self.asBlob)
    }

    /// The BLOB in the column named `name`.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The bytes (empty for an empty blob).
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn`, `unexpectedNull` or `typeMismatch`.
    public func blob(_ name: String) throws -> [UInt8] {
        try required(try index(of: name), "[UInt8]", Self.asBlob)
    }

    /// The BLOB at `index`, or `nil` for NULL.
    /// - Parameters:
    ///   - index: The column index, from 0.
    /// - Returns: The bytes or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalBlob(_ index: Int) throws -> [UInt8]? {
        try optional(index, "[UInt8]", Self.asBlob)
    }

    /// The BLOB in the column named `name`, or `nil` for NULL.
    /// - Parameters:
    ///   - name: The column name.
    /// - Returns: The bytes or `nil`.
    /// - Throws: ``SQLiteError`` of kind `noSuchColumn` or `typeMismatch`.
    public func optionalBlob(_ name: String) throws -> [UInt8]? {
        try optional(try index(of: name), "[UInt8]", Self.asBlob)
    }

    // MARK: - Helpers

    private func index(of name: String) throws -> Int {
        guard let index = columnIndex(named: name) else {
            throw SQLiteError.misuse(.noSuchColumn, "the result has no column named '\(name)'", sql: sql)
        }
        return index
    }

    private func checkedValue(_ index: Int) throws -> SQLiteValue {
        guard let value = value(at: index) else {
            throw SQLiteError.misuse(
                .noSuchColumn,
                "the result has no column \(index) (it has \(columnCount) columns)",
                sql: sql
            )
        }
        return value
    }

    private func describeColumn(_ index: Int) -> String {
        "column \(index) '\(columnName(at: index) ?? "?")'"
    }

    private func required<T>(_ index: Int, _ typeName: String, _ convert: (SQLiteValue) -> T?) throws -> T {
        let value = try checkedValue(index)
        if value.isNull {
            throw SQLiteError.misuse(
                .unexpectedNull,
                "\(describeColumn(index)) is NULL where \(typeName) was required; read it with the optional accessor",
                sql: sql
            )
        }
        return try converted(value, index, typeName, convert)
    }

    private func optional<T>(_ index: Int, _ typeName: String, _ convert: (SQLiteValue) -> T?) throws -> T? {
        let value = try checkedValue(index)
        if value.isNull {
            return nil
        }
        return try converted(value, index, typeName, convert)
    }

    private func converted<T>(
        _ value: SQLiteValue,
        _ index: Int,
        _ typeName: String,
        _ convert: (SQLiteValue) -> T?
    ) throws -> T {
        guard let result = convert(value) else {
            throw SQLiteError.misuse(
                .typeMismatch,
                "\(describeColumn(index)) holds \(value.storageClassName), which does not convert to \(typeName)",
                sql: sql
            )
        }
        return result
    }

    private static func asInt64(_ value: SQLiteValue) -> Int64? {
        if case .integer(let integer) = value { return integer }
        return nil
    }

    private static func asInt(_ value: SQLiteValue) -> Int? {
        if case .integer(let integer) = value { return Int(exactly: integer) }
        return nil
    }

    private static func asBool(_ value: SQLiteValue) -> Bool? {
        switch value {
        case .integer(0): false
        case .integer(1): true
        default: nil
        }
    }

    private static func asDouble(_ value: SQLiteValue) -> Double? {
        switch value {
        case .real(let real): real
        case .integer(let integer): Double(exactly: integer)
        default: nil
        }
    }

    private static func asString(_ value: SQLiteValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
    }

    private static func asBlob(_ value: SQLiteValue) -> [UInt8]? {
        if case .blob(let bytes) = value { return bytes }
        return nil
    }
}
