import MFACore

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
        let leaseEnd = now.adding(seconds: leaseSeconds)
        return try await database.write { connection in
            let due = try connection.query("""
                SELECT id FROM outbox
                WHERE state = 'queued' AND next_attempt_unix <= ? AND channel IN (\(placeholders))
                ORDER BY next_attempt_unix, id LIMIT ?
                """, [.integer(now.unixSeconds)] + channelList.map { .text($0) } + [.integer(Int64(limit))])
            var claimed: [OutboxRecord] = []
            for row in due {
                let id = try row.int64("id")
                // SQLite's randomblob comes from its own CSPRNG seeded by the OS; a Message-ID
                // needs uniqueness, not secrecy.
                try connection.run("""
                    UPDATE outbox SET next_attempt_unix = ?,
                        message_id = COALESCE(message_id, lower(hex(randomblob(16))) || '@' || ?)
                    WHERE id = ?
                    """, [.integer(leaseEnd.unixSeconds), .text(messageIDDomain), .integer(id)])
                guard let record = try connection.queryOne(
                    "SELECT \(SQLiteMFATransaction.outboxColumns) FROM outbox WHERE id = ?", [.integer(id)]) else {
                    throw StoredValueError(table: "outbox", id: "\(id)")
                }
                claimed.append(try SQLiteMFATransaction.outboxRecord(record))
            }
            return claimed
        }
    }

    public func markSent(id: Int64, at time: Timestamp) async throws {
        try await database.write { connection in
            try connection.run("""
                UPDATE outbox SET state = 'sent', sent_unix = ?, last_error = '', \(SQLiteMFATransaction.scrubContent)
                WHERE id = ? AND state = 'queued'
                """,
                               [.integer(time.unixSeconds), .integer(id)])
        }
    }

    public func markRetry(id: Int64, attempts: Int, nextAttemptAt: Timestamp, error: String) async throws {
        try await database.write { connection in
            try connection.run("""
                UPDATE outbox SET attempts = ?, next_attempt_unix = ?, last_error = ? WHERE id = ? AND state = 'queued'
                """, [.integer(Int64(attempts)), .integer(nextAttemptAt.unixSeconds), .text(error), .integer(id)])
        }
    }

    public func markDead(id: Int64, attempts: Int, error: String) async throws {
        try await database.write { connection in
            try connection.run("""
                UPDATE outbox SET state = 'dead', attempts = ?, last_error = ?, \(SQLiteMFATransaction.scrubContent)
                WHERE id = ? AND state = 'queued'
                """, [.integer(Int64(attempts)), .text(error), .integer(id)])
        }
    }

    public func release(ids: [Int64], at time: Timestamp) async throws {
        guard !ids.isEmpty else { return }
        try await database.write { connection in
            for id in ids {
                try connection.run("UPDATE outbox SET next_attempt_unix = ? WHERE id = ? AND state = 'queued'",
                                   [.integer(time.unixSeconds), .integer(id)])
            }
        }
    }

    public func counts() async throws -> [OutboxRecord.State: Int] {
        try await database.read { connection in
            var counts = Dictionary(uniqueKeysWithValues: OutboxRecord.State.allCases.map { ($0, 0) })
            for row in try connection.query("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state") {
                guard let state = OutboxRecord.State(rawValue: try row.string("state")) else {
                    throw StoredValueError(table: "outbox", id: "state \(try row.string("state"))")
                }
                counts[state] = try row.int("n")
            }
            return counts
        }
    }
}
