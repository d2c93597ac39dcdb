import MFACore

/// The `contact_codes`, `invitations` and `api_keys` tables.
public enum SignupRows {
    // MARK: Contact codes

    static let insertContactCode = SQLStatement("""
        INSERT INTO contact_codes (account_id, channel, digest, issued_unix, expires_unix, status) VALUES (?, ?, ?, ?, ?, ?)
        """, table: "contact_codes")
    static let contactCodes = SQLStatement("""
        SELECT id, digest, issued_unix, expires_unix, status FROM contact_codes
        WHERE account_id = ? AND channel = ? ORDER BY id
        """, table: "contact_codes")
    static let setContactCodeStatus = SQLStatement("UPDATE contact_codes SET status = ? WHERE id = ?", table: "contact_codes")

    static func contactCodeValues(_ code: ContactCodeRecord) -> [SQLValue] {
        [
            .text(code.accountID), .text(code.channel.rawValue), .blob(code.digest), .integer(code.issuedAt.unixSeconds),
            .integer(code.expiresAt.unixSeconds), .text(code.status.rawValue),
        ]
    }

    static func contactCode(_ row: some SQLRow, accountID: String, channel: ContactChannel) throws -> ContactCodeRecord {
        ContactCodeRecord(
            id: try row.int64(0), accountID: accountID, channel: channel, digest: try row.bytes(1),
            issuedAt: try row.timestamp(2), expiresAt: try row.timestamp(3),
            status: try row.enumeration(4, EmailCodeRecord.Status.self))
    }

    // MARK: Invitations

    static let insertInvitation = SQLStatement("""
        INSERT INTO invitations (id, token_digest, workspace, plan, email, inviter_account_id, created_unix, expires_unix,
        accepted_unix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, table: "invitations")
    static let invitationByToken = SQLStatement("""
        SELECT id, workspace, plan, email, inviter_account_id, created_unix, expires_unix, accepted_unix
        FROM invitations WHERE token_digest = ?
        """, table: "invitations")
    static let markInvitationAccepted = SQLStatement("UPDATE invitations SET accepted_unix = ? WHERE id = ?", table: "invitations")

    static func invitationValues(_ invitation: InvitationRecord) -> [SQLValue] {
        [
            .text(invitation.id), .blob(invitation.tokenDigest), .text(invitation.workspace), .text(invitation.plan),
            .text(invitation.email), .text(invitation.inviterAccountID), .integer(invitation.createdAt.unixSeconds),
            .integer(invitation.expiresAt.unixSeconds), SQLValue(invitation.acceptedAt?.unixSeconds),
        ]
    }

    static func invitation(_ row: some SQLRow, tokenDigest: [UInt8]) throws -> InvitationRecord {
        InvitationRecord(
            id: try row.string(0), tokenDigest: tokenDigest, workspace: try row.string(1), plan: try row.string(2),
            email: try row.string(3), inviterAccountID: try row.string(4), createdAt: try row.timestamp(5),
            expiresAt: try row.timestamp(6), acceptedAt: try row.optionalTimestamp(7))
    }

    // MARK: API keys

    private static let apiKeyColumns = "id, service, key_digest, created_unix, revoked_unix"
    static let insertAPIKey = SQLStatement("INSERT INTO api_keys (\(apiKeyColumns)) VALUES (?, ?, ?, ?, ?)", table: "api_keys")
    static let apiKeyByDigest = SQLStatement("SELECT \(apiKeyColumns) FROM api_keys WHERE key_digest = ?", table: "api_keys")
    static let allAPIKeys = SQLStatement("SELECT \(apiKeyColumns) FROM api_keys ORDER BY created_unix, id", table: "api_keys")
    /// Binds the id or service twice.
    static let revokeAPIKeys = SQLStatement(
        "UPDATE api_keys SET revoked_unix = ? WHERE (id = ? OR service = ?) AND revoked_unix IS NULL", table: "api_keys")

    static func apiKeyValues(_ key: APIKeyRecord) -> [SQLValue] {
        [.text(key.id), .text(key.service), .blob(key.keyDigest), .integer(key.createdAt.unixSeconds),
         SQLValue(key.revokedAt?.unixSeconds)]
    }

    static func apiKey(_ row: some SQLRow) throws -> APIKeyRecord {
        APIKeyRecord(id: try row.string(0), service: try row.string(1), keyDigest: try row.bytes(2),
                     createdAt: try row.timestamp(3), revokedAt: try row.optionalTimestamp(4))
    }
}
