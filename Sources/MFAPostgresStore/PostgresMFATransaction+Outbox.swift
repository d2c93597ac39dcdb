import MFACore

// The outbox (enqueueing; delivery is PostgresMFAStorage+OutboxQueue) and the audit trail.
extension PostgresMFATransaction {
    func enqueueOutbox(_ message: OutboxRecord) throws {
        try session.execute("""
            INSERT INTO outbox (created_unix, channel, recipient, subject, body, code, link_token, state, message_id, html_body)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, [
                .integer(message.createdAt.unixSeconds), .text(message.channel), .text(message.recipient),
                .text(message.subject), .text(message.body), .text(message.code), .text(message.linkToken),
                .text(message.state.rawValue), PostgresValue(message.messageID), PostgresValue(message.htmlBody),
            ])
    }

    /// The outbox columns ``outboxRecord(_:)`` reads.
    static let outboxColumns = """
        id, created_unix, channel, recipient, subject, body, code, link_token, state, attempts, next_attempt_unix,
        last_error, message_id, html_body, sent_unix
        """

    func outboxMessages() throws -> [OutboxRecord] {
        try session.query("SELECT \(Self.outboxColumns) FROM outbox ORDER BY id", table: "outbox").map(Self.outboxRecord)
    }

    /// A row of ``outboxColumns``.
    static func outboxRecord(_ row: PostgresRowReader) throws -> OutboxRecord {
        OutboxRecord(
            id: try row.int64("id"), createdAt: try row.timestamp("created_unix"), channel: try row.string("channel"),
            recipient: try row.string("recipient"), subject: try row.string("subject"), body: try row.string("body"),
            code: try row.string("code"), linkToken: try row.string("link_token"),
            state: try row.enumeration("state", OutboxRecord.State.self),
            attempts: try row.int("attempts"), lastError: try row.string("last_error"),
            messageID: try row.optionalString("message_id"), htmlBody: try row.optionalString("html_body"),
            nextAttemptAt: try row.timestamp("next_attempt_unix"), sentAt: try row.optionalTimestamp("sent_unix"))
    }

    func appendAudit(_ event: AuditRecord) throws {
        try session.execute("INSERT INTO audit_events (time_unix, account_id, kind, detail) VALUES ($1, $2, $3, $4)", [
            .integer(event.at.unixSeconds), .text(event.accountID), .text(event.kind.rawValue), .text(event.detail),
        ])
    }

    func auditEvents(accountID: String?, since: Timestamp, limit: Int) throws -> [AuditRecord] {
        // `$1 IS NULL` keeps one statement for both cases; the cast names the parameter's type.
        try session.query("""
            SELECT id, time_unix, account_id, kind, detail FROM audit_events
            WHERE ($1::text IS NULL OR account_id = $1::text) AND time_unix >= $2 ORDER BY id LIMIT $3
            """, [PostgresValue(accountID), .integer(since.unixSeconds), PostgresValue(limit)], table: "audit_events").map { row in
            AuditRecord(id: try row.int64("id"), at: try row.timestamp("time_unix"), accountID: try row.string("account_id"),
                        kind: try row.enumeration("kind", AuditKind.self), detail: try row.string("detail"))
        }
    }
}
