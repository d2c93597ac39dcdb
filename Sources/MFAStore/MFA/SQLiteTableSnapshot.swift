/// Every table of an mfad SQLite database read in one snapshot, for copying it to another engine
/// (`mfad migrate`). Safe while mfad serves the file: a read transaction on a read-only connection
/// sees one consistent state beside the running writer (WAL) and never blocks it.
public struct SQLiteTableSnapshot: Sendable {
    /// One table's rows.
    public struct Table: Sendable {
        public var name: String
        public var columns: [String]
        public var rows: [[SQLiteValue]]
    }

    /// The schema version the file is at.
    public var schemaVersion: Int
    /// The tables in the order they were created (parents before the tables referencing them),
    /// without `schema_migrations` and SQLite's own tables.
    public var tables: [Table]

    /// Reads the database at `path`.
    /// - Throws: ``SQLiteError`` when the file cannot be opened or read, or is not an mfad database.
    public static func read(path: String) throws -> SQLiteTableSnapshot {
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        try connection.run("BEGIN DEFERRED")
        defer { _ = try? connection.run("ROLLBACK") }
        let version = try connection.queryOne("SELECT coalesce(max(version), 0) FROM schema_migrations")?.int(0) ?? 0
        let names = try connection.query("""
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'
            ORDER BY rowid
            """).map { try $0.string(0) }
        var tables: [Table] = []
        for name in names {
            let columns = try connection.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(name)]).map { try $0.string(0) }
            // The name comes from sqlite_master; quoted as an identifier all the same.
            let quoted = "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
            let rows = try connection.query("SELECT * FROM \(quoted) ORDER BY rowid").map(\.values)
            tables.append(Table(name: name, columns: columns, rows: rows))
        }
        return SQLiteTableSnapshot(schemaVersion: version, tables: tables)
    }
}
