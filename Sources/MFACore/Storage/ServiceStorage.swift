/// A store engine as the running service sees it: transactions for the core (``MFAStorage``),
/// the delivery side of the outbox (``OutboxQueue``), and what operators need (readiness, counts
/// for metrics, a clean close). The SQLite and PostgreSQL engines both conform; `mfad` picks one
/// from `--db` and never looks further.
public protocol ServiceStorage: MFAStorage, OutboxQueue {
    /// Which engine this is and where, for logs: `sqlite:/var/lib/mfad/mfa.sqlite`,
    /// `postgres://mfad@db:5432/mfa`. Never holds a password.
    var displayName: String { get }

    /// Checks that the service can answer from its database now.
    /// - Returns: nil when ready, else why not (no data, no password).
    func readinessProblem() async -> String?

    /// Outbox depth by state, failed delivery attempts, and the account locks recorded in the
    /// audit trail after `afterAuditID`, read in one snapshot.
    /// - Parameter afterAuditID: the `lastAuditID` of the previous call; nil counts no locks and
    ///   only returns the current last id (a baseline taken at start).
    /// - Throws: a storage error.
    func operationalCounts(afterAuditID: Int64?) async throws -> StorageCounts

    /// The engine's own counters (queue depths, committed batches), for metrics.
    var statistics: StorageStatistics { get }

    /// Waits for queued writes, then closes every connection.
    func close() async
}

/// Counts for metrics, read from the database in one snapshot.
public struct StorageCounts: Sendable, Hashable {
    /// Outbox messages per state (`held`, `queued`, `sent`, `dead`), only states present.
    public var outboxByState: [String: Int] = [:]
    /// Failed delivery attempts recorded on outbox messages, per channel.
    public var failedDeliveryAttemptsByChannel: [String: Int] = [:]
    /// `locked` audit events after the given id that last a few minutes.
    public var temporaryLocks = 0
    /// `locked` audit events after the given id that last until `UnlockAccount`.
    public var locksUntilSupport = 0
    /// The newest audit event id: pass it as `afterAuditID` next time.
    public var lastAuditID: Int64 = 0

    /// Empty counts.
    public init() {}
}

/// The store engine's own counters, each cumulative since it opened (queue depths are current).
public struct StorageStatistics: Sendable, Hashable {
    /// Write transactions waiting to run.
    public var pendingWrites = 0
    /// Read transactions waiting to run.
    public var pendingReads = 0
    /// Commits that succeeded (a batch of writes on SQLite, one transaction on PostgreSQL).
    public var committedBatches = 0
    /// Write transactions in those commits.
    public var committedWrites = 0
    /// Commits that failed as a whole.
    public var failedBatches = 0

    /// All zero.
    public init() {}
}
