/// Applies an ordered list of ``SQLiteMigration``s to a database and records them in
/// `schema_migrations(version, name, applied_unix)`.
///
/// Each pending migration runs in its own `BEGIN IMMEDIATE` transaction together with its record,
/// so a failing migration leaves neither partial schema nor a record. Running again applies only
/// what is missing. The migrator refuses (``SQLiteError/Kind/migrationRefused``) a database that a
/// newer build has migrated past this build's newest migration (downgrade protection), one whose
/// recorded name for a version differs from the known one, one with a recorded version this build
/// does not know, and one that would need a migration older than one already applied.
public struct SQLiteMigrator: Sendable {
    /// A migration recorded in `schema_migrations`.
    public struct AppliedMigration: Sendable, Hashable {
        /// The migration's version.
        public let version: Int
        /// The name recorded when it was applied.
        public let name: String
        /// When it was applied, in Unix seconds.
        public let appliedUnix: Int64
    }

    /// The known migrations, in ascending version order.
    public let migrations: [SQLiteMigration]

    /// Makes a migrator after checking the list.
    /// - Parameters:
    ///   - migrations: The migrations in strictly ascending version order, versions at least 1,
    ///     names not empty.
    /// - Throws: ``SQLiteError`` of kind `invalidMigrations` when the list breaks those rules.
    public init(migrations: [SQLiteMigration]) throws {
        var previous = 0
        for migration in migrations {
            guard migration.version > previous else {
                throw SQLiteError.misuse(
                    .invalidMigrations,
                    "migration \(migration.version) '\(migration.name)' comes after version \(previous): versions must start at 1 and strictly ascend",
                    sql: nil
                )
            }
            guard !migration.name.allSatisfy(\.isWhitespace) else {
                throw SQLiteError.misuse(.invalidMigrations, "migration \(migration.version) has an empty name", sql: nil)
            }
            previous = migration.version
        }
        self.migrations = migrations
    }

    /// The newest version this migrator knows (0 when it has none).
    public var newestVersion: Int {
        migrations.last?.version ?? 0
    }

    /// Brings the database up to ``newestVersion``.
    /// - Parameters:
    ///   - connection: A read-write connection outside any transaction.
    /// - Returns: The migrations applied by this call, in order (empty when the database was current).
    /// - Throws: ``SQLiteError`` of kind `migrationRefused` when the recorded history does not fit
    ///   this list, `migrationFailed` when a migration's SQL fails (that migration is rolled back;
    ///   the ones before it stay applied), or an SQLite error (busy, I/O, ...).
    @discardableResult
    public func migrate(_ connection: SQLiteConnection) throws -> [SQLiteMigration] {
        try connection.execute(Self.createTableSQL)
        try check(applied: try appliedMigrations(connection))

        var appliedNow: [SQLiteMigration] = []
        for migration in migrations {
            try connection.execute("BEGIN IMMEDIATE")
            do {
                // Checked again under the write lock: another process may have applied it meanwhile.
                let recorded = try connection.queryOne(
                    "SELECT name FROM schema_migrations WHERE version = ?",
                    [SQLiteValue(migration.version)]
                )
                if recorded != nil {
                    try connection.execute("COMMIT")
                    continue
                }
                let newest = try connection.queryOne("SELECT max(version) FROM schema_migrations")?.optionalInt(0) ?? 0
                if newest > migration.version {
                    throw Self.refused(
                        "migration \(migration.version) '\(migration.name)' is not applied but the later version \(newest) is; a migration must not be inserted before released ones (give it a version above \(newest))"
                    )
                }
                do {
                    try connection.execute(migration.sql)
                } catch let error as SQLiteError {
                    throw SQLiteError.migrationFailed(version: migration.version, name: migration.name, underlying: error)
                }
                guard connection.isInTransaction else {
                    // The script ended the transaction itself: part of it may be committed already.
                    throw SQLiteError.failure(
                        .migrationFailed,
                        "migration \(migration.version) '\(migration.name)' ended the migrator's transaction (it contains COMMIT or ROLLBACK); the database may hold part of it",
                        sql: migration.sql
                    )
                }
                try connection.run(
                    "INSERT INTO schema_migrations (version, name, applied_unix) VALUES (?, ?, CAST(strftime('%s', 'now') AS INTEGER))",
                    [SQLiteValue(migration.version), SQLiteValue(migration.name)]
                )
                try connection.execute("COMMIT")
                appliedNow.append(migration)
            } catch {
                if connection.isInTransaction {
                    try? connection.execute("ROLLBACK")
                }
                throw error
            }
        }
        return appliedNow
    }

    /// Reads `schema_migrations`.
    /// - Parameters:
    ///   - connection: Any connection to the database.
    /// - Returns: The recorded migrations in ascending version order; empty when the table does not exist.
    /// - Throws: ``SQLiteError``.
    public func appliedMigrations(_ connection: SQLiteConnection) throws -> [AppliedMigration] {
        let exists = try connection.queryOne(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
        guard exists != nil else {
            return []
        }
        return try connection.query(
            "SELECT version, name, applied_unix FROM schema_migrations ORDER BY version"
        ).map { row in
            AppliedMigration(
                version: try row.int("version"),
                name: try row.string("name"),
                appliedUnix: try row.int64("applied_unix")
            )
        }
    }

    // MARK: - Checks

    static let createTableSQL = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_unix INTEGER NOT NULL
        )
        """

    private func check(applied: [AppliedMigration]) throws {
        if let newestApplied = applied.last, newestApplied.version > newestVersion {
            throw Self.refused(
                "the database is at schema version \(newestApplied.version) ('\(newestApplied.name)') but this build knows versions up to \(newestVersion) only; a newer mfad has used this database: run that version (or restore a backup), do not downgrade"
            )
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for record in applied {
            guard let migration = known[record.version] else {
                throw Self.refused(
                    "the database records migration \(record.version) '\(record.name)', which this build does not know; released migrations must never be removed"
                )
            }
            guard migration.name == record.name else {
                throw Self.refused(
                    "migration \(record.version) is recorded as '\(record.name)' but this build calls it '\(migration.name)'; released migrations must never be renamed or renumbered"
                )
            }
        }
    }

    private static func refused(_ message: String) -> SQLiteError {
        .failure(.migrationRefused, message, sql: nil)
    }
}
