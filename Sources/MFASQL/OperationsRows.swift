import MFACore

/// The counts operators watch (``StorageCounts``), read the same way on both engines.
public enum OperationsRows {
    private static let outboxByState = SQLStatement(
        "SELECT state, CAST(count(*) AS BIGINT) FROM outbox GROUP BY state", table: "outbox")
    private static let attemptsByChannel = SQLStatement(
        "SELECT channel, CAST(coalesce(sum(attempts), 0) AS BIGINT) FROM outbox GROUP BY channel", table: "outbox")
    private static let lastAuditID = SQLStatement(
        "SELECT CAST(coalesce(max(id), 0) AS BIGINT) FROM audit_events", table: "audit_events")
    private static let locksBetween = SQLStatement(
        "SELECT detail FROM audit_events WHERE id > ? AND id <= ? AND kind = 'locked'", table: "audit_events")

    /// Reads the outbox depth by state, failed delivery attempts, and the account locks recorded
    /// in the audit trail after `afterAuditID` (the id keeps this cheap however long the trail),
    /// inside the session's read transaction.
    /// - Parameter afterAuditID: the `lastAuditID` of the previous call; nil counts no locks and
    ///   only returns the current last id (a baseline taken at start).
    public static func counts(in session: some SQLSession, afterAuditID: Int64?) async throws -> StorageCounts {
        var counts = StorageCounts()
        for (state, count) in try await session.query(outboxByState, [], { row in (try row.string(0), try row.int(1)) }) {
            counts.outboxByState[state] = count
        }
        for (channel, attempts) in try await session.query(attemptsByChannel, [], { row in (try row.string(0), try row.int(1)) }) {
            counts.failedDeliveryAttemptsByChannel[channel] = attempts
        }
        counts.lastAuditID = try await session.queryOne(lastAuditID, []) { row in try row.int64(0) } ?? 0
        if let afterAuditID {
            for detail in try await session.query(locksBetween, [.integer(afterAuditID), .integer(counts.lastAuditID)], { row in
                try row.string(0)
            }) {
                if detail == "until support" {
                    counts.locksUntilSupport += 1
                } else {
                    counts.temporaryLocks += 1
                }
            }
        }
        return counts
    }
}
