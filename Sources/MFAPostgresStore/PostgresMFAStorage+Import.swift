import MFACore

/// A table's rows as another engine stored them, for `mfad migrate`.
public struct ImportedTable: Sendable {
    /// A value as SQLite keeps it; converted to the PostgreSQL column's type on import.
    public enum Value: Sendable, Hashable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])
    }

    /// The table's name, the same in both schemas.
    public var name: String
    /// The columns the rows hold, in row order.
    public var columns: [String]
    /// The rows.
    public var rows: [[Value]]

    /// - Parameters: see the properties.
    public init(name: String, columns: [String], rows: [[Value]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

extension PostgresMFAStorage {
    /// Copies whole tables into this database in one transaction: all of them or none.
    ///
    /// Each value becomes the PostgreSQL column's type (`0`/`1` into BOOLEAN, integers into
    /// BIGINT, text, blobs into BYTEA); identity columns keep the copied ids and their sequences
    /// move past the largest. Give parent tables before the tables that reference them.
    /// - Parameter tables: the tables, in an order that respects their references.
    /// - Throws: ``PostgresStoreError/migrationRefused(reason:)`` when a table already holds rows
    ///   (other than the default settings the schema starts with),
    ///   does not exist here, lacks a column, or a value does not fit its column; any other
    ///   store error. Nothing is imported then.
    public func importTables(_ tables: [ImportedTable]) async throws {
        try await runner.run(.write) { session in
            // A large table's INSERTs may run longer than a request's statement bound.
            try await session.execute("SET LOCAL statement_timeout = 0")
            for table in tables {
                try await Self.importTable(table, session: session)
            }
        }
    }

    /// How many rows each of `tables` holds, read in one snapshot.
    /// - Throws: a store error (also for a table that does not exist).
    public func rowCounts(tables: [String]) async throws -> [String: Int] {
        try await runner.run(.read) { session in
            var counts: [String: Int] = [:]
            for table in tables {
                let name = try Self.quoted(table)
                counts[table] = try await session.queryOne("SELECT count(*) AS n FROM \(name)", table: table)?.int("n") ?? 0
            }
            return counts
        }
    }

    /// Tables the schema migrations fill with defaults: replaced by the copy rather than refused.
    /// Everything else must be empty, so a database that has served mfad is never overwritten.
    static let seededTables: Set<String> = ["settings"]

    private static func importTable(_ table: ImportedTable, session: PostgresSession) async throws {
        let name = try quoted(table.name)
        let types = try await columnTypes(of: table.name, session: session)
        guard !types.isEmpty else { throw PostgresStoreError.migrationRefused(reason: "no table \(table.name) in the target database") }
        if seededTables.contains(table.name) {
            // Rows the schema migrations put there (default settings); the copy brings its own.
            try await session.execute("DELETE FROM \(name)")
        } else if try await session.queryOne("SELECT 1 AS one FROM \(name) LIMIT 1", table: table.name) != nil {
            throw PostgresStoreError.migrationRefused(reason: "the target table \(table.name) already holds rows; migrate into an empty database")
        }
        let columnTypes = try table.columns.map { column in
            guard let type = types[column] else {
                throw PostgresStoreError.migrationRefused(reason: "the target table \(table.name) has no column \(column)")
            }
            return type
        }
        guard !table.columns.isEmpty, !table.rows.isEmpty else { return }
        let columnList = try table.columns.map(quoted).joined(separator: ", ")
        // A few hundred rows per statement, well under PostgreSQL's 65,535 parameters.
        let rowsPerStatement = max(1, 30_000 / table.columns.count)
        var start = 0
        while start < table.rows.count {
            let batch = table.rows[start..<min(start + rowsPerStatement, table.rows.count)]
            var values: [PostgresValue] = []
            var tuples: [String] = []
            for row in batch {
                guard row.count == table.columns.count else {
                    throw PostgresStoreError.migrationRefused(reason: "a row of \(table.name) has \(row.count) values for \(table.columns.count) columns")
                }
                var placeholders: [String] = []
                for (value, type) in zip(row, columnTypes) {
                    values.append(try converted(value, to: type, table: table.name))
                    placeholders.append("$\(values.count)")
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            try await session.execute("INSERT INTO \(name) (\(columnList)) VALUES " + tuples.joined(separator: ", "), values)
            start += batch.count
        }
        for row in try await session.query("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'
            """, [.text(table.name)], table: table.name) {
            let column = try row.string("column_name")
            try await session.execute("SELECT setval(pg_get_serial_sequence($1, $2), (SELECT max(\(try quoted(column))) FROM \(name)))",
                                [.text(table.name), .text(column)])
        }
    }

    /// The table's columns and their `data_type` (`bigint`, `boolean`, `text`, `bytea`, ...).
    private static func columnTypes(of table: String, session: PostgresSession) async throws -> [String: String] {
        var types: [String: String] = [:]
        for row in try await session.query("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1
            """, [.text(table)], table: table) {
            types[try row.string("column_name")] = try row.string("data_type")
        }
        return types
    }

    private static func converted(_ value: ImportedTable.Value, to type: String, table: String) throws -> PostgresValue {
        switch (value, type) {
        case (.null, _): return .null
        case (.integer(let integer), "bigint"), (.integer(let integer), "integer"), (.integer(let integer), "smallint"):
            return .integer(integer)
        case (.integer(let integer), "boolean"): return .bool(integer != 0)
        case (.text(let text), "text"), (.text(let text), "character varying"): return .text(text)
        case (.blob(let bytes), "bytea"): return .bytes(bytes)
        case (.text(let text), "bytea"): return .bytes(Array(text.utf8))
        default:
            throw PostgresStoreError.migrationRefused(reason: "a \(value.kind) value in \(table) does not fit a \(type) column")
        }
    }

    /// `"name"` for a plain lower-case identifier; anything else is refused rather than quoted.
    private static func quoted(_ identifier: String) throws -> String {
        guard let first = identifier.unicodeScalars.first, first == "_" || ("a"..."z").contains(first),
              identifier.unicodeScalars.allSatisfy({ $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        else { throw PostgresStoreError.migrationRefused(reason: "'\(identifier)' is not a table or column name of mfad's schema") }
        return "\"\(identifier)\""
    }
}

extension ImportedTable.Value {
    /// The kind of value, for messages (never the value itself).
    var kind: String {
        switch self {
        case .null: "NULL"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }
}
