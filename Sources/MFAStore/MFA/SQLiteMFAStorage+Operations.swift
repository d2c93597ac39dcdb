import MFACore
import MFASQL

/// What operators need from the store: readiness, queue depths and lock counts for metrics.
extension SQLiteMFAStorage {
    /// The schema version this build migrates databases to.
    public static var schemaVersion: Int { MFASchema.migrations.last?.version ?? 0 }

    /// Checks that the service can answer from its database now.
    ///
    /// First, on a reader thread, a fresh read-only connection opens the file at the configured
    /// path and reads its schema version: this fails when the file was removed, moved or replaced
    /// by something that is not this database at this build's schema (the open connections would
    /// go on writing into a file a restart would no longer find). Then a read through the reader
    /// pool that serves requests shows that it is not stuck.
    /// - Returns: nil when ready, else why not (paths and SQLite's message, no data).
    public func readinessProblem() async -> String? {
        let expected = Self.schemaVersion
        let database = self.database
        do {
            let problem: String? = try await database.read { pooled in
                var version: Int
                if database.isInMemory {
                    version = try Self.schemaVersion(on: pooled)
                } else {
                    let fresh = try SQLiteConnection(path: database.path, mode: .readOnly, busyTimeout: .seconds(1))
                    version = try Self.schemaVersion(on: fresh)
                    // The serving connections' view must agree with the file's.
                    version = min(version, try Self.schemaVersion(on: pooled))
                }
                guard version == expected else {
                    return "the database is at schema version \(version); this build needs \(expected) (migrations are applied at start: restart mfad)"
                }
                return nil
            }
            return problem
        } catch {
            return "the database does not answer: \(error)"
        }
    }

    private static func schemaVersion(on connection: SQLiteConnection) throws -> Int {
        try connection.queryOne("SELECT coalesce(max(version), 0) FROM schema_migrations")?.int(0) ?? 0
    }

    /// Counts for metrics (the type every engine shares).
    public typealias OperationalCounts = StorageCounts

    /// Reads the outbox depth by state, failed delivery attempts, and the account locks recorded
    /// in the audit trail after `afterAuditID` (``OperationsRows``).
    /// - Parameter afterAuditID: the `lastAuditID` of the previous call; nil counts no locks and
    ///   only returns the current last id (a baseline taken at start).
    /// - Throws: a storage error.
    public func operationalCounts(afterAuditID: Int64?) async throws -> OperationalCounts {
        try await database.read { connection in
            try await OperationsRows.counts(in: SQLiteSession(connection: connection), afterAuditID: afterAuditID)
        }
    }
}
