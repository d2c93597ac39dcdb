import MFACore

/// `MFATransaction` over one connection, inside the transaction ``PostgresTransactionRunner``
/// opened. Each method mirrors MFAStore's `SQLiteMFATransaction` statement for statement (same
/// orderings, same conditions, same counts), with `$n` parameters.
struct PostgresMFATransaction: MFATransaction {
    let session: PostgresBlockingSession
    /// This run's effects; a retried run gets a fresh one, so only the committed run's actions run.
    let afterCommit = CommitActions()

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
        try session.queryOne("\(Self.accountSelect) WHERE id = $1", [.text(id)], table: "accounts").map(Self.account)
    }

    func account(email: String) throws -> AccountRecord? {
        try session.queryOne("\(Self.accountSelect) WHERE email = $1", [.text(email)], table: "accounts").map(Self.account)
    }

    func insertAccount(_ account: AccountRecord) throws {
        try session.execute("""
            INSERT INTO accounts (\(Self.accountColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """, [
                .text(account.id), .text(account.email), .text(account.passwordHash), .text(account.phone),
                .text(account.plan), .text(account.workspace), .integer(account.createdAt.unixSeconds),
                .integer(account.passwordChangedAt.unixSeconds), PostgresValue(account.attempts.consecutiveFailures),
                PostgresValue(account.attempts.lockedUntil?.unixSeconds), .text(StoredEncoding.text(of: account.attempts.recentLocks)),
                .bool(account.attempts.lockedUntilSupport), PostgresValue(account.graceLoginsUsed),
                PostgresValue(account.emailVerifiedAt?.unixSeconds), PostgresValue(account.phoneVerifiedAt?.unixSeconds),
            ])
    }

    func updateAttempts(accountID: String, _ state: AttemptState) throws {
        try session.execute("""
            UPDATE accounts SET failures = $1, locked_until_unix = $2, recent_locks = $3, locked_until_support = $4 WHERE id = $5
            """, [
                PostgresValue(state.consecutiveFailures), PostgresValue(state.lockedUntil?.unixSeconds),
                .text(StoredEncoding.text(of: state.recentLocks)), .bool(state.lockedUntilSupport), .text(accountID),
            ])
    }

    func updateGraceLoginsUsed(accountID: String, _ count: Int) throws {
        try session.execute("UPDATE accounts SET grace_logins_used = $1 WHERE id = $2", [PostgresValue(count), .text(accountID)])
    }

    private static func account(_ row: PostgresRowReader) throws -> AccountRecord {
        AccountRecord(
            id: try row.string("id"), email: try row.string("email"), passwordHash: try row.string("password_hash"),
            phone: try row.string("phone"), plan: try row.string("plan"), workspace: try row.string("workspace"),
            createdAt: try row.timestamp("created_unix"), passwordChangedAt: try row.timestamp("password_changed_unix"),
            attempts: AttemptState(
                consecutiveFailures: try row.int("failures"),
                lockedUntil: try row.optionalTimestamp("locked_until_unix"),
                recentLocks: try decodeTimes(try row.string("recent_locks"), row: row),
                lockedUntilSupport: try row.bool("locked_until_support")),
            graceLoginsUsed: try row.int("grace_logins_used"),
            totpEnabled: try row.bool("totp_enabled"),
            emailVerifiedAt: try row.optionalTimestamp("email_verified_unix"),
            phoneVerifiedAt: try row.optionalTimestamp("phone_verified_unix"))
    }

    // MARK: Password throttle

    func passwordThrottle(key: [UInt8]) throws -> PasswordThrottleState {
        guard let row = try session.queryOne("SELECT failure_times, locked_until_unix FROM password_throttle WHERE key = $1",
                                             [.bytes(key)], table: "password_throttle") else {
            return PasswordThrottleState()
        }
        return PasswordThrottleState(failureTimes: try Self.decodeTimes(try row.string("failure_times"), row: row),
                                     lockedUntil: try row.optionalTimestamp("locked_until_unix"))
    }

    func setPasswordThrottle(key: [UInt8], _ state: PasswordThrottleState) throws {
        if state.failureTimes.isEmpty && state.lockedUntil == nil {
            try session.execute("DELETE FROM password_throttle WHERE key = $1", [.bytes(key)])
            return
        }
        try session.execute("""
            INSERT INTO password_throttle (key, failure_times, locked_until_unix) VALUES ($1, $2, $3)
            ON CONFLICT (key) DO UPDATE SET failure_times = EXCLUDED.failure_times, locked_until_unix = EXCLUDED.locked_until_unix
            """, [.bytes(key), .text(StoredEncoding.text(of: state.failureTimes)), PostgresValue(state.lockedUntil?.unixSeconds)])
    }

    // MARK: Challenges and codes

    func insertChallenge(_ challenge: ChallengeRecord) throws {
        try session.execute("""
            INSERT INTO challenges (id, account_id, created_unix, reason, methods, status, resend_count, last_sent_unix)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, Self.challengeValues(challenge))
    }

    func challenge(id: String) throws -> ChallengeRecord? {
        guard let row = try session.queryOne("""
            SELECT id, account_id, created_unix, reason, methods, status, resend_count, last_sent_unix FROM challenges WHERE id = $1
            """, [.text(id)], table: "challenges") else { return nil }
        let methods = try row.string("methods").split(separator: ",").map { name in
            guard let method = MFAMethod(rawValue: String(name)) else { throw row.unreadable("methods", "an unknown method name") }
            return method
        }
        return ChallengeRecord(
            id: try row.string("id"), accountID: try row.string("account_id"), createdAt: try row.timestamp("created_unix"),
            reason: try row.enumeration("reason", MFAReason.self), methods: methods,
            status: try row.enumeration("status", ChallengeRecord.Status.self), resendCount: try row.int("resend_count"),
            lastSentAt: try row.timestamp("last_sent_unix"))
    }

    func updateChallenge(_ challenge: ChallengeRecord) throws {
        try session.execute("""
            UPDATE challenges SET account_id = $2, created_unix = $3, reason = $4, methods = $5, status = $6, resend_count = $7,
            last_sent_unix = $8 WHERE id = $1
            """, Self.challengeValues(challenge))
    }

    private static func challengeValues(_ challenge: ChallengeRecord) -> [PostgresValue] {
        [
            .text(challenge.id), .text(challenge.accountID), .integer(challenge.createdAt.unixSeconds),
            .text(challenge.reason.rawValue), .text(challenge.methods.map(\.rawValue).joined(separator: ",")),
            .text(challenge.status.rawValue), PostgresValue(challenge.resendCount), .integer(challenge.lastSentAt.unixSeconds),
        ]
    }

    func insertEmailCode(_ code: EmailCodeRecord) throws {
        try session.execute("""
            INSERT INTO email_codes (challenge_id, code_digest, link_digest, issued_unix, expires_unix, status)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [
                .text(code.challengeID), .bytes(code.codeDigest), .bytes(code.linkDigest), .integer(code.issuedAt.unixSeconds),
                .integer(code.expiresAt.unixSeconds), .text(code.status.rawValue),
            ])
    }

    private static let emailCodeColumns = "id, challenge_id, code_digest, link_digest, issued_unix, expires_unix, status"

    func emailCodes(challengeID: String) throws -> [EmailCodeRecord] {
        try session.query("SELECT \(Self.emailCodeColumns) FROM email_codes WHERE challenge_id = $1 ORDER BY id",
                          [.text(challengeID)], table: "email_codes").map(Self.emailCode)
    }

    func emailCode(linkDigest: [UInt8]) throws -> EmailCodeRecord? {
        try session.queryOne("SELECT \(Self.emailCodeColumns) FROM email_codes WHERE link_digest = $1",
                             [.bytes(linkDigest)], table: "email_codes").map(Self.emailCode)
    }

    func setEmailCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) throws {
        try session.execute("UPDATE email_codes SET status = $1 WHERE id = $2", [.text(status.rawValue), .integer(id)])
    }

    private static func emailCode(_ row: PostgresRowReader) throws -> EmailCodeRecord {
        EmailCodeRecord(
            id: try row.int64("id"), challengeID: try row.string("challenge_id"), codeDigest: try row.bytes("code_digest"),
            linkDigest: try row.bytes("link_digest"), issuedAt: try row.timestamp("issued_unix"),
            expiresAt: try row.timestamp("expires_unix"), status: try row.enumeration("status", EmailCodeRecord.Status.self))
    }

    // MARK: Sessions

    func insertSession(_ session: SessionRecord) throws {
        try self.session.execute("""
            INSERT INTO sessions (token_digest, account_id, created_unix, expires_unix, revoked_unix) VALUES ($1, $2, $3, $4, $5)
            """, [
                .bytes(session.tokenDigest), .text(session.accountID), .integer(session.createdAt.unixSeconds),
                .integer(session.expiresAt.unixSeconds), PostgresValue(session.revokedAt?.unixSeconds),
            ])
    }

    func session(tokenDigest: [UInt8]) throws -> SessionRecord? {
        guard let row = try session.queryOne("""
            SELECT account_id, created_unix, expires_unix, revoked_unix FROM sessions WHERE token_digest = $1
            """, [.bytes(tokenDigest)], table: "sessions") else { return nil }
        return SessionRecord(
            tokenDigest: tokenDigest, accountID: try row.string("account_id"), createdAt: try row.timestamp("created_unix"),
            expiresAt: try row.timestamp("expires_unix"), revokedAt: try row.optionalTimestamp("revoked_unix"))
    }

    func revokeSession(tokenDigest: [UInt8], at time: Timestamp) throws {
        try session.execute("UPDATE sessions SET revoked_unix = $1 WHERE token_digest = $2 AND revoked_unix IS NULL",
                            [.integer(time.unixSeconds), .bytes(tokenDigest)])
    }

    // MARK: Enforcement policy

    func enforcementPolicy() throws -> EnforcementPolicy {
        var policy = EnforcementPolicy()
        policy.workspaceEnforceFrom = [:]
        for row in try session.query("SELECT scope, enforce_from_unix FROM enforcement_dates", table: "enforcement_dates") {
            policy.readStoredDate(scope: try row.string("scope"), date: try row.timestamp("enforce_from_unix"))
        }
        try policy.readStoredSettings(setting)
        return policy
    }

    func setEnforcementPolicy(_ policy: EnforcementPolicy) throws {
        try session.execute("DELETE FROM enforcement_dates")
        for (scope, date) in policy.storedDates {
            try session.execute("INSERT INTO enforcement_dates (scope, enforce_from_unix) VALUES ($1, $2)",
                                [.text(scope), .integer(date.unixSeconds)])
        }
        for (key, value) in policy.storedSettings {
            try setSetting(key, value)
        }
    }

    // MARK: Settings

    func setting(_ key: String) throws -> String? {
        try session.queryOne("SELECT value FROM settings WHERE key = $1", [.text(key)], table: "settings").map { try $0.string("value") }
    }

    func setSetting(_ key: String, _ value: String) throws {
        try session.execute("""
            INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
            """, [.text(key), .text(value)])
    }

    // MARK: Encoding

    private static func decodeTimes(_ text: String, row: PostgresRowReader) throws -> [Timestamp] {
        guard let times = StoredEncoding.times(from: text) else { throw row.unreadable("time list", "not comma-separated Unix seconds") }
        return times
    }
}
