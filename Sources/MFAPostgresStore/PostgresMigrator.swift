/// Applies ``PostgresSchema`` at open, recorded in `schema_migrations(version, name, applied_unix)`.
///
/// Everything happens in one transaction that first takes a transaction-scoped advisory lock, so
/// nodes starting together take turns: the second sees the first's committed migrations and has
/// nothing left to do. PostgreSQL's DDL is transactional, so a failing migration leaves neither
/// partial schema nor a record. Like the SQLite migrator it refuses a database that a newer build
/// migrated past this one, a recorded version this build does not know, a renamed migration, and
/// a pending migration older than one already applied.
enum PostgresMigrator {
    /// The advisory lock key held while migrating (any fixed 64-bit number; "mfad-sch" in ASCII).
    static let advisoryLockKey: Int64 = 0x6D66_6164_2D73_6368

    /// Brings the database up to the newest schema.
    /// - Parameter session: A connection outside any transaction.
    /// - Returns: The versions this call applied (empty when the database was current).
    /// - Throws: ``PostgresStoreError/migrationRefused(reason:)`` or a statement error; then
    ///   nothing of this call persisted.
    static func migrate(_ session: PostgresSession, migrations: [PostgresMigration] = PostgresSchema.migrations) async throws -> [Int] {
        // READ COMMITTED: once the lock is held, each statement sees what the previous holder committed.
        try await session.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        do {
            // Schema changes may wait for another node's migration (the advisory lock) or for
            // running transactions (table locks), and may take longer than a request's bounds.
            try await session.execute("SET LOCAL lock_timeout = 0")
            try await session.execute("SET LOCAL statement_timeout = 0")
            try await session.execute("SELECT pg_advisory_xact_lock($1)", [.integer(advisoryLockKey)])
            try await session.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_unix BIGINT NOT NULL
                )
                """)
            let applied = try await session.query("SELECT version, name FROM schema_migrations ORDER BY version", table: "schema_migrations")
                .map { (version: try $0.int("version"), name: try $0.string("name")) }
            try check(applied: applied, against: migrations)
            let newestApplied = applied.last?.version ?? 0
            var appliedNow: [Int] = []
            for migration in migrations where migration.version > newestApplied {
                for statement in migration.statements {
                    try await session.execute(statement)
                }
                try await session.execute("""
                    INSERT INTO schema_migrations (version, name, applied_unix) VALUES ($1, $2, EXTRACT(EPOCH FROM now())::bigint)
                    """, [PostgresValue(migration.version), .text(migration.name)])
                appliedNow.append(migration.version)
            }
            try await session.execute("COMMIT")
            return appliedNow
        } catch {
            await session.rollbackOrClose()
            throw error
        }
    }

    private static func check(applied: [(version: Int, name: String)], against migrations: [PostgresMigration]) throws {
        let newestKnown = migrations.last?.version ?? 0
        if let newest = applied.last, newest.version > newestKnown {
            throw PostgresStoreError.migrationRefused(reason: "the database is at schema version \(newest.version) ('\(newest.name)') but this build knows versions up to \(newestKnown) only; a newer mfad has used this database: run that version, do not downgrade")
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for record in applied {
            guard let migration = known[record.version] else {
                throw PostgresStoreError.migrationRefused(reason: "the database records migration \(record.version) '\(record.name)', which this build does not know; released migrations must never be removed")
            }
            guard migration.name == record.name else {
                throw PostgresStoreError.migrationRefused(reason: "migration \(record.version) is recorded as '\(record.name)' but this build calls it '\(migration.name)'; released migrations must never be renamed or renumbered")
            }
        }
        let appliedVersions = Set(applied.map(\.version))
        let newestApplied = applied.last?.version ?? 0
        if let gap = migrations.first(where: { $0.version < newestApplied && !appliedVersions.contains($0.version) }) {
            throw PostgresStoreError.migrationRefused(reason: "migration \(gap.version) '\(gap.name)' is not applied but the later version \(newestApplied) is; a migration must not be inserted before released ones")
        }
    }
}
