import MFACore

/// The `accounts` and `password_throttle` tables: statements, columns and records.
public enum AccountRows {
    static let columns = """
        id, email, password_hash, phone, plan, workspace, created_unix, password_changed_unix, failures,
        locked_until_unix, recent_locks, locked_until_support, grace_logins_used, email_verified_unix, phone_verified_unix
        """
    /// Account columns plus whether a TOTP authenticator is enabled (derived, not stored), each
    /// named with its table (for joins); ``record(_:)`` reads them from column 0.
    static let selectList = columns.split(separator: ",").map { "accounts.\(String($0.filter { !$0.isWhitespace }))" }
        .joined(separator: ", ")
        + ", EXISTS (SELECT 1 FROM totp_authenticators t WHERE t.account_id = accounts.id) AS totp_enabled"
    /// The number of columns of ``selectList``.
    static let selectListCount = columns.split(separator: ",").count + 1
    private static let select = "SELECT \(selectList) FROM accounts"

    static let byID = SQLStatement("\(select) WHERE id = ?", table: "accounts")
    static let byEmail = SQLStatement("\(select) WHERE email = ?", table: "accounts")
    static let insert = SQLStatement(
        "INSERT INTO accounts (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", table: "accounts")
    static let updateAttempts = SQLStatement("""
        UPDATE accounts SET failures = ?, locked_until_unix = ?, recent_locks = ?, locked_until_support = ? WHERE id = ?
        """, table: "accounts")
    static let updateGraceLogins = SQLStatement("UPDATE accounts SET grace_logins_used = ? WHERE id = ?", table: "accounts")
    static let updatePassword = SQLStatement(
        "UPDATE accounts SET password_hash = ?, password_changed_unix = ? WHERE id = ?", table: "accounts")
    static let markEmailVerified = SQLStatement(
        "UPDATE accounts SET email_verified_unix = ? WHERE id = ? AND email_verified_unix IS NULL", table: "accounts")
    static let markPhoneVerified = SQLStatement(
        "UPDATE accounts SET phone_verified_unix = ? WHERE id = ? AND phone_verified_unix IS NULL", table: "accounts")

    static func values(_ account: AccountRecord) -> [SQLValue] {
        [
            .text(account.id), .text(account.email), .text(account.passwordHash), .text(account.phone),
            .text(account.plan), .text(account.workspace), .integer(account.createdAt.unixSeconds),
            .integer(account.passwordChangedAt.unixSeconds),
        ] + attemptValues(account.attempts) + [
            SQLValue(account.graceLoginsUsed), SQLValue(account.emailVerifiedAt?.unixSeconds),
            SQLValue(account.phoneVerifiedAt?.unixSeconds),
        ]
    }

    /// failures, locked_until_unix, recent_locks, locked_until_support.
    static func attemptValues(_ state: AttemptState) -> [SQLValue] {
        [
            SQLValue(state.consecutiveFailures), SQLValue(state.lockedUntil?.unixSeconds),
            .text(StoredEncoding.text(of: state.recentLocks)), .bool(state.lockedUntilSupport),
        ]
    }

    static func record(_ row: some SQLRow) throws -> AccountRecord {
        AccountRecord(
            id: try row.string(0), email: try row.string(1), passwordHash: try row.string(2),
            phone: try row.string(3), plan: try row.string(4), workspace: try row.string(5),
            createdAt: try row.timestamp(6), passwordChangedAt: try row.timestamp(7),
            attempts: AttemptState(
                consecutiveFailures: try row.int(8), lockedUntil: try row.optionalTimestamp(9),
                recentLocks: try row.times(10), lockedUntilSupport: try row.bool(11)),
            graceLoginsUsed: try row.int(12),
            totpEnabled: try row.bool(15),
            emailVerifiedAt: try row.optionalTimestamp(13), phoneVerifiedAt: try row.optionalTimestamp(14))
    }

    // MARK: Password throttle

    static let throttle = SQLStatement(
        "SELECT failure_times, locked_until_unix FROM password_throttle WHERE key = ?", table: "password_throttle")
    static let deleteThrottle = SQLStatement("DELETE FROM password_throttle WHERE key = ?", table: "password_throttle")
    static let upsertThrottle = SQLStatement("""
        INSERT INTO password_throttle (key, failure_times, locked_until_unix) VALUES (?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET failure_times = EXCLUDED.failure_times, locked_until_unix = EXCLUDED.locked_until_unix
        """, table: "password_throttle")

    static func throttleState(_ row: some SQLRow) throws -> PasswordThrottleState {
        PasswordThrottleState(failureTimes: try row.times(0), lockedUntil: try row.optionalTimestamp(1))
    }
}
