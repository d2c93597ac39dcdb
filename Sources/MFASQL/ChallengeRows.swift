import MFACore

/// The `challenges`, `email_codes` and `sessions` tables.
public enum ChallengeRows {
    private static let columns = "id, account_id, created_unix, reason, methods, status, resend_count, last_sent_unix"
    static let insert = SQLStatement(
        "INSERT INTO challenges (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", table: "challenges")
    static let byID = SQLStatement("SELECT \(columns) FROM challenges WHERE id = ?", table: "challenges")
    /// The values of ``values(_:)`` minus the id, then the id.
    static let update = SQLStatement("""
        UPDATE challenges SET account_id = ?, created_unix = ?, reason = ?, methods = ?, status = ?, resend_count = ?,
        last_sent_unix = ? WHERE id = ?
        """, table: "challenges")

    static func values(_ challenge: ChallengeRecord) -> [SQLValue] {
        [
            .text(challenge.id), .text(challenge.accountID), .integer(challenge.createdAt.unixSeconds),
            .text(challenge.reason.rawValue), .text(challenge.methods.map(\.rawValue).joined(separator: ",")),
            .text(challenge.status.rawValue), SQLValue(challenge.resendCount), .integer(challenge.lastSentAt.unixSeconds),
        ]
    }

    static func record(_ row: some SQLRow) throws -> ChallengeRecord {
        let methods = try row.string(4).split(separator: ",").map { name in
            guard let method = MFAMethod(rawValue: String(name)) else { throw row.unreadable(4, "an unknown method name") }
            return method
        }
        return ChallengeRecord(
            id: try row.string(0), accountID: try row.string(1), createdAt: try row.timestamp(2),
            reason: try row.enumeration(3, MFAReason.self), methods: methods,
            status: try row.enumeration(5, ChallengeRecord.Status.self), resendCount: try row.int(6),
            lastSentAt: try row.timestamp(7))
    }

    // MARK: Email codes

    private static let codeColumns = "id, challenge_id, code_digest, link_digest, issued_unix, expires_unix, status"
    static let insertCode = SQLStatement("""
        INSERT INTO email_codes (challenge_id, code_digest, link_digest, issued_unix, expires_unix, status)
        VALUES (?, ?, ?, ?, ?, ?)
        """, table: "email_codes")
    static let codesOfChallenge = SQLStatement(
        "SELECT \(codeColumns) FROM email_codes WHERE challenge_id = ? ORDER BY id", table: "email_codes")
    static let codeByLink = SQLStatement("SELECT \(codeColumns) FROM email_codes WHERE link_digest = ?", table: "email_codes")
    static let setCodeStatus = SQLStatement("UPDATE email_codes SET status = ? WHERE id = ?", table: "email_codes")

    static func codeValues(_ code: EmailCodeRecord) -> [SQLValue] {
        [
            .text(code.challengeID), .blob(code.codeDigest), .blob(code.linkDigest), .integer(code.issuedAt.unixSeconds),
            .integer(code.expiresAt.unixSeconds), .text(code.status.rawValue),
        ]
    }

    static func code(_ row: some SQLRow) throws -> EmailCodeRecord {
        EmailCodeRecord(
            id: try row.int64(0), challengeID: try row.string(1), codeDigest: try row.bytes(2),
            linkDigest: try row.bytes(3), issuedAt: try row.timestamp(4), expiresAt: try row.timestamp(5),
            status: try row.enumeration(6, EmailCodeRecord.Status.self))
    }

    // MARK: Sessions

    static let insertSession = SQLStatement("""
        INSERT INTO sessions (token_digest, account_id, created_unix, expires_unix, revoked_unix) VALUES (?, ?, ?, ?, ?)
        """, table: "sessions")
    static let sessionByToken = SQLStatement(
        "SELECT account_id, created_unix, expires_unix, revoked_unix FROM sessions WHERE token_digest = ?", table: "sessions")
    /// The session and its account (the account's columns first, as ``AccountRows/record(_:)``
    /// reads them, then the session's, as ``session(_:tokenDigest:from:)`` reads them from
    /// ``sessionAfterAccount``).
    static let sessionWithAccount = SQLStatement("""
        SELECT \(AccountRows.selectList),
        sessions.account_id, sessions.created_unix, sessions.expires_unix, sessions.revoked_unix
        FROM sessions JOIN accounts ON accounts.id = sessions.account_id WHERE sessions.token_digest = ?
        """, table: "sessions")
    /// Where the session's columns start in ``sessionWithAccount``.
    static let sessionAfterAccount = AccountRows.selectListCount
    static let revokeSession = SQLStatement(
        "UPDATE sessions SET revoked_unix = ? WHERE token_digest = ? AND revoked_unix IS NULL", table: "sessions")
    /// Every live session of an account but the one kept (NULL keeps none).
    static let revokeSessionsOfAccount = SQLStatement(
        sqlite: "UPDATE sessions SET revoked_unix = ? WHERE account_id = ? AND revoked_unix IS NULL AND token_digest IS NOT ?",
        postgres: """
            UPDATE sessions SET revoked_unix = ?
            WHERE account_id = ? AND revoked_unix IS NULL AND token_digest IS DISTINCT FROM ?::bytea
            """,
        table: "sessions")

    static func sessionValues(_ session: SessionRecord) -> [SQLValue] {
        [
            .blob(session.tokenDigest), .text(session.accountID), .integer(session.createdAt.unixSeconds),
            .integer(session.expiresAt.unixSeconds), SQLValue(session.revokedAt?.unixSeconds),
        ]
    }

    /// A session from its four columns (account, created, expires, revoked), starting at `first`.
    static func session(_ row: some SQLRow, tokenDigest: [UInt8], from first: Int = 0) throws -> SessionRecord {
        SessionRecord(
            tokenDigest: tokenDigest, accountID: try row.string(first), createdAt: try row.timestamp(first + 1),
            expiresAt: try row.timestamp(first + 2), revokedAt: try row.optionalTimestamp(first + 3))
    }

    /// A row of ``sessionWithAccount``: the session and its account.
    static func sessionWithAccount(_ row: some SQLRow, tokenDigest: [UInt8]) throws -> (SessionRecord, AccountRecord) {
        (try session(row, tokenDigest: tokenDigest, from: sessionAfterAccount), try AccountRows.record(row))
    }
}
