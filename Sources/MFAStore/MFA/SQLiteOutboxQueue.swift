import MFACore
import MFASQL

/// The delivery worker's side of the outbox, on the same group-commit writer as the service's
/// transactions: a claim, and each outcome, is one durable write.
extension SQLiteMFAStorage: OutboxQueue {
    public func claimDue(now: Timestamp, limit: Int, leaseSeconds: Int64, channels: Set<String>,
                         messageIDDomain: String) async throws -> [OutboxRecord] {
        precondition(limit > 0, "claimDue needs a limit of at least 1, got \(limit)")
        precondition(leaseSeconds > 0, "claimDue needs a lease of at least 1 s, got \(leaseSeconds)")
        guard !channels.isEmpty else { return [] }
        let channelList = channels.sorted()
        let placeholders = Array(repeating: "?", count: channelList.count).joined(separator: ", ")
        let due = SQLStatement("""
            SELECT id FROM outbox
            WHERE state = 'queued' AND next_attempt_unix <= ? AND channel IN (\(placeholders))
            ORDER BY next_attempt_unix, id LIMIT ?
            """, table: "outbox")
        let leaseEnd = now.adding(seconds: leaseSeconds)
        return try await database.write { connection in
            let session = SQLiteSession(connection: connection)
            let ids = try session.rows(due, [.integer(now.unixSeconds)] + channelList.map { .text($0) } + [SQLValue(limit)]) { row in
                try row.int64(0)
            }
            var claimed: [OutboxRecord] = []
            for id in ids {
                // SQLite's randomblob comes from its own CSPRNG seeded by the OS; a Message-ID
                // needs uniqueness, not secrecy.
                claimed += try session.rows(Self.claim, [.integer(leaseEnd.unixSeconds), .text(messageIDDomain), .integer(id)],
                                            OutboxRows.record)
            }
            return claimed
        }
    }

    private static let claim = SQLStatement("""
        UPDATE outbox SET next_attempt_unix = ?, message_id = COALESCE(message_id, lower(hex(randomblob(16))) || '@' || ?)
        WHERE id = ? RETURNING \(OutboxRows.columns)
        """, table: "outbox")

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
        try await database.write { connection in
            for id in ids {
                try await SQLiteSession(connection: connection).execute(OutboxRows.release, [.integer(time.unixSeconds), .integer(id)])
            }
        }
    }

    public func counts() async throws -> [OutboxRecord.State: Int] {
        try await database.read { connection in try await OutboxRows.counts(in: SQLiteSession(connection: connection)) }
    }

    /// One outcome statement in its own write.
    private func writeOutbox(_ statement: SQLStatement, _ values: [SQLValue]) async throws {
        try await database.write { connection in
            try await SQLiteSession(connection: connection).execute(statement, values)
        }
    }
}
