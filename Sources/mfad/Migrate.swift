import ArgumentParser
import Logging
import MFAOperations
import MFAPostgresStore
import MFAStore

/// `mfad migrate --from sqlite:PATH --to postgres://...`: copies an embedded deployment into a
/// shared PostgreSQL database and checks the row counts.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a SQLite database into an empty PostgreSQL database and verify the row counts.",
        discussion: """
            Reads one consistent snapshot of the SQLite file (safe while mfad serves it; changes \
            made after the snapshot are not copied, so stop mfad first for the final cut-over), \
            creates mfad's schema in the PostgreSQL database if needed, copies every table in one \
            transaction (all or nothing), and compares the row counts table by table. The target \
            must hold no mfad data. Both sides must be at this build's schema version: start this \
            mfad once on the SQLite file first if it is older. The password comes from the URL or \
            MFAD_DB_PASSWORD. Keep using the same master key: TOTP secrets stay sealed under it and \
            digests keyed by it.
            """
    )

    @Option(help: "The SQLite database: PATH or sqlite:PATH.")
    var from: String

    @Option(help: "The PostgreSQL database: postgres://USER@HOST:PORT/DB (password from MFAD_DB_PASSWORD).")
    var to: String

    func run() async throws {
        guard case .sqlite(let path) = try StoreOptions.databaseLocation(from) else {
            throw ValidationError("--from must be a SQLite file (PATH or sqlite:PATH)")
        }
        guard case .postgres(let url) = try StoreOptions.databaseLocation(to) else {
            throw ValidationError("--to must be a postgres:// URL")
        }
        let snapshot = try SQLiteTableSnapshot.read(path: path)
        guard snapshot.schemaVersion == SQLiteMFAStorage.schemaVersion else {
            throw ValidationError("""
                \(path) is at schema version \(snapshot.schemaVersion); this mfad copies version \
                \(SQLiteMFAStorage.schemaVersion): start this mfad on the file once to migrate it, then try again
                """)
        }
        let target = try await PostgresMFAStorage.open(url: url, poolSize: 2, logger: Logger(label: "mfad.migrate"))
        let copied: [String: Int]
        do {
            try await target.importTables(snapshot.tables.map { table in
                ImportedTable(name: table.name, columns: table.columns, rows: table.rows.map { $0.map(ImportedTable.Value.init) })
            })
            copied = try await target.rowCounts(tables: snapshot.tables.map(\.name))
        } catch {
            await target.close()
            throw error
        }
        await target.close()
        var mismatches: [String] = []
        for table in snapshot.tables {
            let count = copied[table.name] ?? -1
            print("\(table.name): \(table.rows.count) rows in SQLite, \(count) in PostgreSQL")
            if count != table.rows.count { mismatches.append(table.name) }
        }
        guard mismatches.isEmpty else {
            throw ValidationError("row counts differ for \(mismatches.joined(separator: ", "))")
        }
        let rows = snapshot.tables.reduce(0) { $0 + $1.rows.count }
        print("migrated \(path) to \(target.location): \(rows) rows in \(snapshot.tables.count) tables, counts verified")
    }
}

extension ImportedTable.Value {
    /// The same value as SQLite stored it.
    init(_ value: SQLiteValue) {
        switch value {
        case .null: self = .null
        case .integer(let integer): self = .integer(integer)
        case .real(let real): self = .real(real)
        case .text(let text): self = .text(text)
        case .blob(let bytes): self = .blob(bytes)
        }
    }
}
