import MFACore

// The outbox (enqueueing; delivery is PostgresMFAStorage+OutboxQueue) and the audit trail.
extension PostgresMFATransaction {
    func newOutboxID() throws -> Int64 {
        // The identity's sequence: unique across nodes and never handed out twice, even when this
        // transaction is retried or rolled back.
        guard let row = try session.queryOne("SELECT nextval(pg_get_serial_sequence('outbox', 'id')) AS id", table: "outbox") else {
            throw PostgresStoreError.unreadableValue(table: "outbox", detail: "nextval returned no row")
        }
        return try row.int64("id")
    }

    func enqueueOutbox(_ message: OutboxRecord) throws {
        // body, code and link_token are the clear columns of schema 5: always empty since 6.
        try session.execute("""
            INSERT INTO outbox (id, created_unix, channel, recipient, subject, body, code, link_token, sealed_content, state, message_id)
            VALUES ($1, $2, $3, $4, $5, '', '', '', $6, $7, $8)
            """, [
                .integer(message.id), .integer(message.createdAt.unixSeconds), .text(message.channel), .text(message.recipient),
                .text(message.subject), PostgresValue(message.sealedContent), .text(message.state.rawValue),
                PostgresValue(message.messageID),
            ])
    }

    func unsealedOutboxContents() throws -> [(id: Int64, content: OutboxContent)] {
        try session.query("""
            SELECT id, body, html_body, code, link_token FROM outbox
            WHERE sealed_content IS NULL AND state IN ('queued', 'held') ORDER BY id
            """, table: "outbox").map { row in
            (try row.int64("id"), OutboxContent(body: try row.string("body"), htmlBody: try row.optionalString("html_body"),
                                                code: try row.string("code"), linkToken: try row.string("link_token")))
        }
    }

    func sealOutboxContent(id: Int64, sealed: [UInt8]) throws {
        try session.execute("UPDATE outbox SET sealed_content = $1, \(Self.clearColumnsBlank) WHERE id = $2 AND sealed_content IS NULL",
                            [.bytes(sealed), .integer(id)])
    }

    /// Blanks the clear content columns of schema 5 (empty for messages queued since 6).
    static let clearColumnsBlank = "body = '', html_body = NULL, code = '', link_token = ''"

    /// The assignments that scrub a sent or dead message.
    static let scrubContent = "sealed_content = NULL, \(clearColumnsBlank)"

    /// The outbox columns ``outboxRecord(_:)`` reads.
    static let outboxColumns = """
        id, created_unix, channel, recipient, subject, sealed_content, state, attempts, next_attempt_unix,
        last_error, message_id, sent_unix
        """

    func outboxMessages() throws -> [OutboxRecord] {
        try session.query("SELECT \(Self.outboxColumns) FROM outbox ORDER BY id", table: "outbox").map(Self.outboxRecord)
    }

    /// A row of ``outboxColumns``.
    static func outboxRecord(_ row: PostgresRowReader) throws -> OutboxRecord {
        OutboxRecord(
            id: try row.int64("id"), createdAt: try row.timestamp("created_unix"), channel: try row.string("channel"),
            recipient: try row.string("recipient"), subject: try row.string("subject"),
            sealedContent: try row.optionalBytes("sealed_content"),
            state: try row.enumeration("state", OutboxRecord.State.self),
            attempts: try row.int("attempts"), lastError: try row.string("last_error"),
            messageID: try row.optionalString("message_id"),
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
