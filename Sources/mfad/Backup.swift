import ArgumentParser
import MFAOperations
import MFAStore

/// `mfad backup PATH`: an online backup of the database, safe while mfad serves it.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database to PATH while mfad may be serving it.",
        discussion: """
            The copy is one consistent snapshot (VACUUM INTO on a read-only connection; the running \
            server is not paused), written with mode 0600, synced and checked with PRAGMA \
            integrity_check before it appears at PATH. PATH must not exist. Restore by stopping mfad \
            and putting the copy in place of the database file (remove its -wal and -shm files).
            """
    )

    @Argument(help: "The new backup file; it must not exist.")
    var path: String

    @Option(help: "The database file (env MFAD_DB, or the config file's db). Default ./mfa.sqlite.")
    var db: String?

    @Option(help: "Config file of mfad serve (env MFAD_CONFIG): its db key names the database.")
    var config: String?

    func run() throws {
        _ = try OperationsOptions.loadSources(config: config, keys: ConfigurationKeys.serve)
        let location = try StoreOptions.databaseLocation(try Setting.resolve(db, env: "MFAD_DB", default: "./mfa.sqlite"))
        guard case .sqlite(let source) = location else {
            throw ValidationError("mfad backup copies a SQLite file; back up PostgreSQL with pg_dump or its replication (docs/operations.md)")
        }
        let result = try SQLiteBackup.backup(databaseAt: source, to: path)
        print("backed up \(source) to \(result.path): \(result.bytes) bytes, schema version \(result.schemaVersion), integrity_check ok")
    }
}
