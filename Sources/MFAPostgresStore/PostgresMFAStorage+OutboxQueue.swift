import MFACore
import MFASQL

/// The delivery worker's side of the outbox. A claim is one serialisable write that selects the
/// due messages `FOR UPDATE SKIP LOCKED` (a concurrent claimer on another node skips rows this one
/// holds instead of waiting for them, and a claimer whose snapshot predates a committed claim gets
/// a serialization failure and runs again) and sets their lease in the same transaction, so two
/// workers never hold the same message at once.
extension PostgresMFAStorage: OutboxQueue {
    public func claimDue(now: Timestamp, limit: Int, leaseSeconds: Int64, channels: Set<String>,
                         messageIDDomain: String) async throws -> [OutboxRecord] {
        precondition(limit > 0, "claimDue needs a limit of at least 1, got \(limit)")
        precondition(leaseSeconds > 0, "claimDue needs a lease of at least 1 s, got \(leaseSeconds)")
        guard !channels.isEmpty else { return [] }
        let channelList = channels.sorted()
        let leaseEnd = now.adding(seconds: leaseSeconds)
        return try await runner.run(.write) { session in
            let due = try await session.query("""
                SELECT id FROM outbox
                WHERE state = 'queued' AND next_attempt_unix <= $1 AND channel = ANY($2::text[])
                ORDER BY next_attempt_unix, id LIMIT $3 FOR UPDATE SKIP LOCKED
                """, [.integer(now.unixSeconds), .textArray(channelList), PostgresValue(limit)], table: "outbox")
                .map { try $0.int64("id") }
            guard !due.isEmpty else { return [] }
            // gen_random_uuid() draws from PostgreSQL's CSPRNG; a Message-ID needs uniqueness, not
            // secrecy: 32 hex digits like the SQLite engine's.
            let claimed = try await session.perform(
                Self.claim, [.integer(leaseEnd.unixSeconds), .text(messageIDDomain), .integerArray(due)]
            ).rows.map { row in try OutboxRows.record(PostgresIndexedRow(row: row, table: "outbox")) }
            // RETURNING has no order: give them back oldest due first, as selected.
            let byID = Dictionary(uniqueKeysWithValues: claimed.map { ($0.id, $0) })
            return due.compactMap { byID[$0] }
        }
    }

    /// lease end, Message-ID domain, then the ids as one array parameter (`$3`).
    private static let claim = """
        UPDATE outbox SET next_attempt_unix = $1,
            message_id = COALESCE(message_id, replace(gen_random_uuid()::text, '-', '') || '@' || $2)
        WHERE id = ANY($3::bigint[]) RETURNING \(OutboxRows.columns)
        """

    public func markSent(id: Int64, at time: Timestamp) async throws {
        try await writeOutbox(OutboxRows.markSent, [.integer(time.unixSeconds), .integer(id)])
    }

    public func markRetry(id: Int64, attempts: Int, nextAttemptAt: Timestamp, error: String) async throws {
        try await writeOutbox(OutboxRows.markRetry, [SQLValue(attempts), .integer(nextAttemptAt.unixSeconds), .text(error), .integer(id)])
    }

    public func markDead(id: Int64, attempts: Int, error: String) async throws {
        try await writeOutbox(OutboxRows.markDead, [SQLValue(attempts), .text(error), .integer(id)])
    }

    public func release(ids: [Int64], at time: Timestamp) async throws {
        guard !ids.isEmpty else { return }
        try await runner.run(.write) { session in
            _ = try await session.execute("UPDATE outbox SET next_attempt_unix = $1 WHERE id = ANY($2::bigint[]) AND state = 'queued'",
                                          [.integer(time.unixSeconds), .integerArray(ids)])
        }
    }

    public func counts() async throws -> [OutboxRecord.State: Int] {
        try await runner.run(.read) { session in try await OutboxRows.counts(in: session) }
    }

    /// One outcome statement in its own write transaction.
    private func writeOutbox(_ statement: SQLStatement, _ values: [SQLValue]) async throws {
        try await runner.run(.write) { session in _ = try await session.execute(statement, values) }
    }
}
