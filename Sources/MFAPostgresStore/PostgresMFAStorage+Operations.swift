import MFACore
import MFASQL

/// What operators need from the store: readiness, queue depths and lock counts for metrics; the
/// same as the SQLite engine's, so mfad can use either.
extension PostgresMFAStorage {
    /// The schema version this build migrates databases to.
    public static var schemaVersion: Int { PostgresSchema.newestVersion }

    /// How long a readiness check waits for the database before it reports it as not answering
    /// (during an outage a lease waits while the client reconnects).
    static let readinessTimeout: Duration = .seconds(5)

    /// Checks that the service can answer from its database now: a read through the connections
    /// that serve requests finds the schema at this build's version within ``readinessTimeout``.
    /// - Returns: nil when ready, else why not (the server, SQLSTATE and message; no data, no password).
    public func readinessProblem() async -> String? {
        let expected = Self.schemaVersion
        let runner = self.runner
        do {
            let answer = try await withThrowingTaskGroup(of: Int?.self) { group in
                group.addTask {
                    try await runner.run(.read) { session in
                        try await session.queryOne("SELECT coalesce(max(version), 0)::bigint AS version FROM schema_migrations",
                                                   table: "schema_migrations")?.int("version") ?? 0
                    }
                }
                group.addTask {
                    try await Task.sleep(for: Self.readinessTimeout)
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let version = answer else {
                return "the database \(location) does not answer within \(Self.readinessTimeout)"
            }
            guard version == expected else {
                return "the database \(location) is at schema version \(version); this build needs \(expected) (migrations are applied at start: restart mfad)"
            }
            return nil
        } catch {
            return "the database \(location) does not answer: \(error)"
        }
    }

    /// Counts for metrics (the type every engine shares).
    public typealias OperationalCounts = StorageCounts

    /// Reads the outbox depth by state, failed delivery attempts, and the account locks recorded
    /// in the audit trail after `afterAuditID`.
    ///
    /// Audit ids come from an identity column: on one node they grow with commit order, but with
    /// several nodes a transaction that took a smaller id can commit after a larger one was
    /// counted, and its lock is then missed by this node's metric (never counted twice).
    /// - Parameter afterAuditID: the `lastAuditID` of the previous call; nil counts no locks and
    ///   only returns the current last id (a baseline taken at start).
    /// - Returns: The counts.
    /// - Throws: ``PostgresStoreError``.
    public func operationalCounts(afterAuditID: Int64?) async throws -> OperationalCounts {
        try await runner.run(.read) { session in try await OperationsRows.counts(in: session, afterAuditID: afterAuditID) }
    }
}
