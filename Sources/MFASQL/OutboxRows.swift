import MFACore

/// The `outbox` table (both the service's side and the delivery worker's), `audit_events`,
/// `settings` and `enforcement_dates`.
public enum OutboxRows {
    /// The outbox columns ``record(_:)`` reads, in its order.
    public static let columns = """
        id, created_unix, channel, recipient, subject, sealed_content, state, attempts, next_attempt_unix,
        last_error, message_id, sent_unix
        """

    /// A row of ``columns``.
    public static func record(_ row: some SQLRow) throws -> OutboxRecord {
        OutboxRecord(
            id: try row.int64(0), createdAt: try row.timestamp(1), channel: try row.string(2),
            recipient: try row.string(3), subject: try row.string(4), sealedContent: try row.optionalBytes(5),
            state: try row.enumeration(6, OutboxRecord.State.self), attempts: try row.int(7),
            lastError: try row.string(9), messageID: try row.optionalString(10),
            nextAttemptAt: try row.timestamp(8), sentAt: try row.optionalTimestamp(11))
    }

    /// body, code and link_token are the clear columns of schema 5: always empty since 6.
    static let insert = SQLStatement("""
        INSERT INTO outbox (id, created_unix, channel, recipient, subject, body, code, link_token, sealed_content, state, message_id)
        VALUES (?, ?, ?, ?, ?, '', '', '', ?, ?, ?)
        """, table: "outbox")
    static let all = SQLStatement("SELECT \(columns) FROM outbox ORDER BY id", table: "outbox")
    static let unsealed = SQLStatement("""
        SELECT id, body, html_body, code, link_token FROM outbox
        WHERE sealed_content IS NULL AND state IN ('queued', 'held') ORDER BY id
        """, table: "outbox")
    /// Blanks the clear content columns of schema 5 (empty for messages queued since 6).
    private static let clearColumnsBlank = "body = '', html_body = NULL, code = '', link_token = ''"
    /// The assignments that scrub a sent or dead message.
    private static let scrubContent = "sealed_content = NULL, \(clearColumnsBlank)"
    static let seal = SQLStatement(
        "UPDATE outbox SET sealed_content = ?, \(clearColumnsBlank) WHERE id = ? AND sealed_content IS NULL", table: "outbox")

    static func values(_ message: OutboxRecord) -> [SQLValue] {
        [
            .integer(message.id), .integer(message.createdAt.unixSeconds), .text(message.channel), .text(message.recipient),
            .text(message.subject), SQLValue(message.sealedContent), .text(message.state.rawValue), SQLValue(message.messageID),
        ]
    }

    static func unsealedContent(_ row: some SQLRow) throws -> (id: Int64, content: OutboxContent) {
        (try row.int64(0), OutboxContent(body: try row.string(1), htmlBody: try row.optionalString(2),
                                         code: try row.string(3), linkToken: try row.string(4)))
    }

    // MARK: Delivery outcomes (OutboxQueue)

    /// sent_unix, id.
    public static let markSent = SQLStatement("""
        UPDATE outbox SET state = 'sent', sent_unix = ?, last_error = '', \(scrubContent) WHERE id = ? AND state = 'queued'
        """, table: "outbox")
    /// attempts, next_attempt_unix, last_error, id.
    public static let markRetry = SQLStatement("""
        UPDATE outbox SET attempts = ?, next_attempt_unix = ?, last_error = ? WHERE id = ? AND state = 'queued'
        """, table: "outbox")
    /// attempts, last_error, id.
    public static let markDead = SQLStatement("""
        UPDATE outbox SET state = 'dead', attempts = ?, last_error = ?, \(scrubContent) WHERE id = ? AND state = 'queued'
        """, table: "outbox")
    /// next_attempt_unix, id.
    public static let release = SQLStatement(
        "UPDATE outbox SET next_attempt_unix = ? WHERE id = ? AND state = 'queued'", table: "outbox")
    /// One row per state present: state, count.
    public static let countsByState = SQLStatement(
        "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state", table: "outbox")

    /// The depth of each state, every state present (0 when none).
    public static func counts(in session: some SQLSession) async throws -> [OutboxRecord.State: Int] {
        var counts = Dictionary(uniqueKeysWithValues: OutboxRecord.State.allCases.map { ($0, 0) })
        for (state, count) in try await session.query(countsByState, [], { row in
            (try row.enumeration(0, OutboxRecord.State.self), try row.int(1))
        }) {
            counts[state] = count
        }
        return counts
    }

    // MARK: Audit

    private static let auditColumns = "id, time_unix, account_id, kind, detail"
    static let appendAudit = SQLStatement(
        "INSERT INTO audit_events (time_unix, account_id, kind, detail) VALUES (?, ?, ?, ?)", table: "audit_events")
    static let auditOfAccount = SQLStatement("""
        SELECT \(auditColumns) FROM audit_events WHERE account_id = ? AND time_unix >= ? ORDER BY id LIMIT ?
        """, table: "audit_events")
    static let auditOfAll = SQLStatement(
        "SELECT \(auditColumns) FROM audit_events WHERE time_unix >= ? ORDER BY id LIMIT ?", table: "audit_events")

    static func auditValues(_ event: AuditRecord) -> [SQLValue] {
        [.integer(event.at.unixSeconds), .text(event.accountID), .text(event.kind.rawValue), .text(event.detail)]
    }

    static func audit(_ row: some SQLRow) throws -> AuditRecord {
        AuditRecord(id: try row.int64(0), at: try row.timestamp(1), accountID: try row.string(2),
                    kind: try row.enumeration(3, AuditKind.self), detail: try row.string(4))
    }

    // MARK: Settings and enforcement dates

    static let setting = SQLStatement("SELECT value FROM settings WHERE key = ?", table: "settings")
    static let upsertSetting = SQLStatement(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        table: "settings")
    static let enforcementDates = SQLStatement(
        "SELECT scope, enforce_from_unix FROM enforcement_dates", table: "enforcement_dates")
    static let deleteEnforcementDates = SQLStatement("DELETE FROM enforcement_dates", table: "enforcement_dates")
    static let insertEnforcementDate = SQLStatement(
        "INSERT INTO enforcement_dates (scope, enforce_from_unix) VALUES (?, ?)", table: "enforcement_dates")
}
