import MFACore

/// `MFATransaction` over one SQLite connection, inside the transaction the database opened.
struct SQLiteMFATransaction: MFATransaction {
    let connection: SQLiteConnection
    let afterCommit: CommitActions

    /// - Parameters:
    ///   - connection: The connection inside the transaction the database opened.
    ///   - afterCommit: Where this run of the body registers its effects (a fresh one per run).
    init(connection: SQLiteConnection, afterCommit: CommitActions = CommitActions()) {
        self.connection = connection
        self.afterCommit = afterCommit
    }

    // MARK: Accounts

    private static let accountColumns = """
        id, email, password_hash, phone, plan, workspace, created_unix, password_changed_unix, failures,
        locked_until_unix, recent_locks, locked_until_support, grace_logins_used, email_verified_unix, phone_verified_unix
        """
    /// Account columns plus whether a TOTP authenticator is enabled (derived, not stored).
    private static let accountSelect = """
        SELECT \(accountColumns),
        EXISTS (SELECT 1 FROM totp_authenticators t WHERE t.account_id = accounts.id) AS totp_enabled FROM accounts
        """

    func account(id: String) throws -> AccountRecord? {
        try connection.queryOne("\(Self.accountSelect) WHERE id = ?", [.text(id)]).map(Self.account)
    }

    func account(email: String) throws -> AccountRecord? {
        try connection.queryOne("\(Self.accountSelect) WHERE email = ?", [.text(email)]).map(Self.account)
    }

    func insertAccount(_ account: AccountRecord) throws {
        try connection.run("""
            INSERT INTO accounts (\(Self.accountColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(account.id), .text(account.email), .text(account.passwordHash), .text(account.phone),
                .text(account.plan), .text(account.workspace), .integer(account.createdAt.unixSeconds),
                .integer(account.passwordChangedAt.unixSeconds), .integer(Int64(account.attempts.consecutiveFailures)),
                SQLiteValue(account.attempts.lockedUntil?.unixSeconds), .text(StoredEncoding.text(of: account.attempts.recentLocks)),
                SQLiteValue(account.attempts.lockedUntilSupport), .integer(Int64(account.graceLoginsUsed)),
                SQLiteValue(account.emailVerifiedAt?.unixSeconds), SQLiteValue(account.phoneVerifiedAt?.unixSeconds),
            ])
    }

    func updateAttempts(accountID: String, _ state: AttemptState) throws {
        try connection.run("""
            UPDATE accounts SET failures = ?, locked_until_unix = ?, recent_locks = ?, locked_until_support = ? WHERE id = ?
            """, [
                .integer(Int64(state.consecutiveFailures)), SQLiteValue(state.lockedUntil?.unixSeconds),
                .text(StoredEncoding.text(of: state.recentLocks)), SQLiteValue(state.lockedUntilSupport), .text(accountID),
            ])
    }

    func updateGraceLoginsUsed(accountID: String, _ count: Int) throws {
        try connection.run("UPDATE accounts SET grace_logins_used = ? WHERE id = ?", [.integer(Int64(count)), .text(accountID)])
    }

    private static func account(_ row: SQLiteRow) throws -> AccountRecord {
        AccountRecord(
            id: try row.string("id"), email: try row.string("email"), passwordHash: try row.string("password_hash"),
            phone: try row.string("phone"), plan: try row.string("plan"), workspace: try row.string("workspace"),
            createdAt: Timestamp(unixSeconds: try row.int64("created_unix")),
            passwordChangedAt: Timestamp(unixSeconds: try row.int64("password_changed_unix")),
            attempts: AttemptState(
                consecutiveFailures: try row.int("failures"),
                lockedUntil: try row.optionalInt64("locked_until_unix").map(Timestamp.init(unixSeconds:)),
                recentLocks: try decodeTimes(try row.string("recent_locks")),
                lockedUntilSupport: try row.bool("locked_until_support")),
            graceLoginsUsed: try row.int("grace_logins_used"),
            totpEnabled: try row.bool("totp_enabled"),
            emailVerifiedAt: try row.optionalInt64("email_verified_unix").map(Timestamp.init(unixSeconds:)),
            phoneVerifiedAt: try row.optionalInt64("phone_verified_unix").map(Timestamp.init(unixSeconds:)))
    }

    // MARK: Password throttle

    func passwordThrottle(key: [UInt8]) throws -> PasswordThrottleState {
        guard let row = try connection.queryOne(
            "SELECT failure_times, locked_until_unix FROM password_throttle WHERE key = ?", [.blob(key)]) else {
            return PasswordThrottleState()
        }
        return PasswordThrottleState(
            failureTimes: try Self.decodeTimes(try row.string("failure_times")),
            lockedUntil: try row.optionalInt64("locked_until_unix").map(Timestamp.init(unixSeconds:)))
    }

    func setPasswordThrottle(key: [UInt8], _ state: PasswordThrottleState) throws {
        if state.failureTimes.isEmpty && state.lockedUntil == nil {
            try connection.run("DELETE FROM password_throttle WHERE key = ?", [.blob(key)])
            return
        }
        try connection.run("""
            INSERT INTO password_throttle (key, failure_times, locked_until_unix) VALUES (?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET failure_times = excluded.failure_times, locked_until_unix = excluded.locked_until_unix
            """, [.blob(key), .text(StoredEncoding.text(of: state.failureTimes)), SQLiteValue(state.lockedUntil?.unixSeconds)])
    }

    // MARK: Challenges and codes

    func insertChallenge(_ challenge: ChallengeRecord) throws {
        try connection.run("""
            INSERT INTO challenges (id, account_id, created_unix, reason, methods, status, resend_count, last_sent_unix)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, Self.challengeValues(challenge))
    }

    func challenge(id: String) throws -> ChallengeRecord? {
        guard let row = try connection.queryOne("""
            SELECT id, account_id, created_unix, reason, methods, status, resend_count, last_sent_unix FROM challenges WHERE id = ?
            """, [.text(id)]) else { return nil }
        guard let reason = MFAReason(rawValue: try row.string("reason")),
              let status = ChallengeRecord.Status(rawValue: try row.string("status")) else {
            throw StoredValueError(table: "challenges", id: id)
        }
        let methods = try row.string("methods").split(separator: ",").map { name in
            guard let method = MFAMethod(rawValue: String(name)) else { throw StoredValueError(table: "challenges", id: id) }
            return method
        }
        return ChallengeRecord(
            id: try row.string("id"), accountID: try row.string("account_id"),
            createdAt: Timestamp(unixSeconds: try row.int64("created_unix")), reason: reason, methods: methods,
            status: status, resendCount: try row.int("resend_count"),
            lastSentAt: Timestamp(unixSeconds: try row.int64("last_sent_unix")))
    }

    func updateChallenge(_ challenge: ChallengeRecord) throws {
        let values = Self.challengeValues(challenge)
        try connection.run("""
            UPDATE challenges SET account_id = ?, created_unix = ?, reason = ?, methods = ?, status = ?, resend_count = ?,
            last_sent_unix = ? WHERE id = ?
            """, Array(values.dropFirst()) + [values[0]])
    }

    private static func challengeValues(_ challenge: ChallengeRecord) -> [SQLiteValue] {
        [
            .text(challenge.id), .text(challenge.accountID), .integer(challenge.createdAt.unixSeconds),
            .text(challenge.reason.rawValue), .text(challenge.methods.map(\.rawValue).joined(separator: ",")),
            .text(challenge.status.rawValue), .integer(Int64(challenge.resendCount)),
            .integer(challenge.lastSentAt.unixSeconds),
        ]
    }

    func insertEmailCode(_ code: EmailCodeRecord) throws {
        try connection.run("""
            INSERT INTO email_codes (challenge_id, code_digest, link_digest, issued_unix, expires_unix, status)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [
                .text(code.challengeID), .blob(code.codeDigest), .blob(code.linkDigest), .integer(code.issuedAt.unixSeconds),
                .integer(code.expiresAt.unixSeconds), .text(code.status.rawValue),
            ])
    }

    private static let emailCodeColumns = "id, challenge_id, code_digest, link_digest, issued_unix, expires_unix, status"

    func emailCodes(challengeID: String) throws -> [EmailCodeRecord] {
        try connection.query("SELECT \(Self.emailCodeColumns) FROM email_codes WHERE challenge_id = ? ORDER BY id",
                             [.text(challengeID)]).map(Self.emailCode)
    }

    func emailCode(linkDigest: [UInt8]) throws -> EmailCodeRecord? {
        try connection.queryOne("SELECT \(Self.emailCodeColumns) FROM email_codes WHERE link_digest = ?",
                                [.blob(linkDigest)]).map(Self.emailCode)
    }

    func setEmailCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) throws {
        try connection.run("UPDATE email_codes SET status = ? WHERE id = ?", [.text(status.rawValue), .integer(id)])
    }

    private static func emailCode(_ row: SQLiteRow) throws -> EmailCodeRecord {
        let id = try row.int64("id")
        guard let status = EmailCodeRecord.Status(rawValue: try row.string("status")) else {
            throw StoredValueError(table: "email_codes", id: "\(id)")
        }
        return EmailCodeRecord(
            id: id, challengeID: try row.string("challenge_id"), codeDigest: try row.blob("code_digest"),
            linkDigest: try row.blob("link_digest"), issuedAt: Timestamp(unixSeconds: try row.int64("issued_unix")),
            expiresAt: Timestamp(unixSeconds: try row.int64("expires_unix")), status: status)
    }

    // MARK: Sessions

    func insertSession(_ session: SessionRecord) throws {
        try connection.run("""
            INSERT INTO sessions (token_digest, account_id, created_unix, expires_unix, revoked_unix) VALUES (?, ?, ?, ?, ?)
            """, [
                .blob(session.tokenDigest), .text(session.accountID), .integer(session.createdAt.unixSeconds),
                .integer(session.expiresAt.unixSeconds), SQLiteValue(session.revokedAt?.unixSeconds),
            ])
    }

    func session(tokenDigest: [UInt8]) throws -> SessionRecord? {
        guard let row = try connection.queryOne("""
            SELECT account_id, created_unix, expires_unix, revoked_unix FROM sessions WHERE token_digest = ?
            """, [.blob(tokenDigest)]) else { return nil }
        return SessionRecord(
            tokenDigest: tokenDigest, accountID: try row.string("account_id"),
            createdAt: Timestamp(unixSeconds: try row.int64("created_unix")),
            expiresAt: Timestamp(unixSeconds: try row.int64("expires_unix")),
            revokedAt: try row.optionalInt64("revoked_unix").map(Timestamp.init(unixSeconds:)))
    }

    func revokeSession(tokenDigest: [UInt8], at time: Timestamp) throws {
        try connection.run("UPDATE sessions SET revoked_unix = ? WHERE token_digest = ? AND revoked_unix IS NULL",
                           [.integer(time.unixSeconds), .blob(tokenDigest)])
    }

    // MARK: Enforcement policy

    func enforcementPolicy() throws -> EnforcementPolicy {
        var policy = EnforcementPolicy()
        policy.workspaceEnforceFrom = [:]
        for row in try connection.query("SELECT scope, enforce_from_unix FROM enforcement_dates") {
            policy.readStoredDate(scope: try row.string("scope"), date: Timestamp(unixSeconds: try row.int64("enforce_from_unix")))
        }
        try policy.readStoredSettings(setting)
        return policy
    }

    func setEnforcementPolicy(_ policy: EnforcementPolicy) throws {
        try connection.run("DELETE FROM enforcement_dates")
        for (scope, date) in policy.storedDates {
            try connection.run("INSERT INTO enforcement_dates (scope, enforce_from_unix) VALUES (?, ?)",
                               [.text(scope), .integer(date.unixSeconds)])
        }
        for (key, value) in policy.storedSettings {
            try setSetting(key, value)
        }
    }

    // MARK: Outbox and audit

    func newOutboxID() throws -> Int64 {
        // The writer is the only one inserting, inside this transaction: the next rowid is free.
        try connection.queryOne("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM outbox").map { try $0.int64("id") } ?? 1
    }

    func enqueueOutbox(_ message: OutboxRecord) throws {
        // body, code and link_token are the clear columns of schema 5: always empty since 6.
        try connection.run("""
            INSERT INTO outbox (id, created_unix, channel, recipient, subject, body, code, link_token, sealed_content, state, message_id)
            VALUES (?, ?, ?, ?, ?, '', '', '', ?, ?, ?)
            """, [
                .integer(message.id), .integer(message.createdAt.unixSeconds), .text(message.channel), .text(message.recipient),
                .text(message.subject), SQLiteValue(message.sealedContent), .text(message.state.rawValue),
                SQLiteValue(message.messageID),
            ])
    }

    func unsealedOutboxContents() throws -> [(id: Int64, content: OutboxContent)] {
        try connection.query("""
            SELECT id, body, html_body, code, link_token FROM outbox
            WHERE sealed_content IS NULL AND state IN ('queued', 'held') ORDER BY id
            """).map { row in
            (try row.int64("id"), OutboxContent(body: try row.string("body"), htmlBody: try row.optionalString("html_body"),
                                                code: try row.string("code"), linkToken: try row.string("link_token")))
        }
    }

    func sealOutboxContent(id: Int64, sealed: [UInt8]) throws {
        try connection.run("""
            UPDATE outbox SET sealed_content = ?, \(Self.clearColumnsBlank) WHERE id = ? AND sealed_content IS NULL
            """, [.blob(sealed), .integer(id)])
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
        try connection.query("SELECT \(Self.outboxColumns) FROM outbox ORDER BY id").map(Self.outboxRecord)
    }

    /// A row of ``outboxColumns``.
    static func outboxRecord(_ row: SQLiteRow) throws -> OutboxRecord {
        let id = try row.int64("id")
        guard let state = OutboxRecord.State(rawValue: try row.string("state")) else {
            throw StoredValueError(table: "outbox", id: "\(id)")
        }
        return OutboxRecord(
            id: id, createdAt: Timestamp(unixSeconds: try row.int64("created_unix")), channel: try row.string("channel"),
            recipient: try row.string("recipient"), subject: try row.string("subject"),
            sealedContent: try row.optionalBlob("sealed_content"), state: state,
            attempts: try row.int("attempts"), lastError: try row.string("last_error"),
            messageID: try row.optionalString("message_id"),
            nextAttemptAt: Timestamp(unixSeconds: try row.int64("next_attempt_unix")),
            sentAt: try row.optionalInt64("sent_unix").map(Timestamp.init(unixSeconds:)))
    }

    func appendAudit(_ event: AuditRecord) throws {
        try connection.run("INSERT INTO audit_events (time_unix, account_id, kind, detail) VALUES (?, ?, ?, ?)", [
            .integer(event.at.unixSeconds), .text(event.accountID), .text(event.kind.rawValue), .text(event.detail),
        ])
    }

    func auditEvents(accountID: String?, since: Timestamp, limit: Int) throws -> [AuditRecord] {
        let rows: [SQLiteRow]
        if let accountID {
            rows = try connection.query("""
                SELECT id, time_unix, account_id, kind, detail FROM audit_events
                WHERE account_id = ? AND time_unix >= ? ORDER BY id LIMIT ?
                """, [.text(accountID), .integer(since.unixSeconds), .integer(Int64(limit))])
        } else {
            rows = try connection.query("""
                SELECT id, time_unix, account_id, kind, detail FROM audit_events WHERE time_unix >= ? ORDER BY id LIMIT ?
                """, [.integer(since.unixSeconds), .integer(Int64(limit))])
        }
        return try rows.map { row in
            let id = try row.int64("id")
            guard let kind = AuditKind(rawValue: try row.string("kind")) else { throw StoredValueError(table: "audit_events", id: "\(id)") }
            return AuditRecord(id: id, at: Timestamp(unixSeconds: try row.int64("time_unix")),
                               accountID: try row.string("account_id"), kind: kind, detail: try row.string("detail"))
        }
    }

    // MARK: Settings

    func setting(_ key: String) throws -> String? {
        try connection.queryOne("SELECT value FROM settings WHERE key = ?", [.text(key)]).map { try $0.string("value") }
    }

    func setSetting(_ key: String, _ value: String) throws {
        try connection.run("""
            INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, [.text(key), .text(value)])
    }

    // MARK: Encoding

    private static func decodeTimes(_ text: String) throws -> [Timestamp] {
        guard let times = StoredEncoding.times(from: text) else { throw StoredValueError(table: "accounts", id: "time list") }
        return times
    }
}

/// A stored value this build cannot read (e.g. an unknown enum name): the database was changed
/// outside mfad or by a newer version. Fails the request closed.
struct StoredValueError: Error, CustomStringConvertible {
    let table: String
    let id: String
    var description: String { "unreadable stored value in \(table) (\(id))" }
}
