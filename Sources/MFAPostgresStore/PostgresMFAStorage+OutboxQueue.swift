import MFACore

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
            let due = try session.query("""
                SELECT id FROM outbox
                WHERE state = 'queued' AND next_attempt_unix <= $1 AND channel = ANY($2::text[])
                ORDER BY next_attempt_unix, id LIMIT $3 FOR UPDATE SKIP LOCKED
                """, [.integer(now.unixSeconds), .textArray(channelList), PostgresValue(limit)], table: "outbox")
                .map { try $0.int64("id") }
            guard !due.isEmpty else { return [] }
            // gen_random_uuid() draws from PostgreSQL's CSPRNG; a Message-ID needs uniqueness, not
            // secrecy: 32 hex digits like the SQLite engine's.
            let claimed = try session.query("""
                UPDATE outbox SET next_attempt_unix = $1,
                    message_id = COALESCE(message_id, replace(gen_random_uuid()::text, '-', '') || '@' || $2)
                WHERE id = ANY($3::bigint[]) RETURNING \(PostgresMFATransaction.outboxColumns)
                """, [.integer(leaseEnd.unixSeconds), .text(messageIDDomain), .integerArray(due)], table: "outbox")
                .map(PostgresMFATransaction.outboxRecord)
            // RETURNING has no order: give them back oldest due first, as selected.
            let byID = Dictionary(uniqueKeysWithValues: claimed.map { ($0.id, $0) })
            return due.compactMap { byID[$0] }
        }
    }

    public func markSent(id: Int64, at time: Timestamp) async throws {
        try await writeOutbox("""
            UPDATE outbox SET state = 'sent', sent_unix = $1, last_error = '', \(PostgresMFATransaction.scrubContent)
            WHERE id = $2 AND state = 'queued'
            """,
                              [.integer(time.unixSeconds), .integer(id)])
    }

    public func markRetry(id: Int64, attempts: Int, nextAttemptAt: Timestamp, error: String) async throws {
        try await writeOutbox("""
            UPDATE outbox SET attempts = $1, next_attempt_unix = $2, last_error = $3 WHERE id = $4 AND state = 'queued'
            """, [PostgresValue(attempts), .integer(nextAttemptAt.unixSeconds), .text(error), .integer(id)])
    }

    public func markDead(id: Int64, attempts: Int, error: String) async throws {
        try await writeOutbox("""
            UPDATE outbox SET state = 'dead', attempts = $1, last_error = $2, \(PostgresMFATransaction.scrubContent)
            WHERE id = $3 AND state = 'queued'
            """,
                              [PostgresValue(attempts), .text(error), .integer(id)])
    }

    public func release(ids: [Int64], at time: Timestamp) async throws {
        guard !ids.isEmpty else { return }
        try await writeOutbox("UPDATE outbox SET next_attempt_unix = $1 WHERE id = ANY($2::bigint[]) AND state = 'queued'",
                              [.integer(time.unixSeconds), .integerArray(ids)])
    }

    public func counts() async throws -> [OutboxRecord.State: Int] {
        try await runner.run(.read) { session in
            var counts = Dictionary(uniqueKeysWithValues: OutboxRecord.State.allCases.map { ($0, 0) })
            for row in try session.query("SELECT state, count(*) AS n FROM outbox GROUP BY state", table: "outbox") {
                counts[try row.enumeration("state", OutboxRecord.State.self)] = try row.int("n")
            }
            return counts
        }
    }

    /// One outcome statement in its own write transaction.
    private func writeOutbox(_ sql: String, _ values: [PostgresValue]) async throws {
        try await runner.run(.write) { session in _ = try session.execute(sql, values) }
    }
}
