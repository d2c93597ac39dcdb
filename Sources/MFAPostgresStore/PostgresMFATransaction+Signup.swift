import MFACore

// Sign-up verification codes and invitations.
extension PostgresMFATransaction {
    func insertContactCode(_ code: ContactCodeRecord) throws {
        try session.execute("""
            INSERT INTO contact_codes (account_id, channel, digest, issued_unix, expires_unix, status) VALUES ($1, $2, $3, $4, $5, $6)
            """, [
                .text(code.accountID), .text(code.channel.rawValue), .bytes(code.digest), .integer(code.issuedAt.unixSeconds),
                .integer(code.expiresAt.unixSeconds), .text(code.status.rawValue),
            ])
    }

    func contactCodes(accountID: String, channel: ContactChannel) throws -> [ContactCodeRecord] {
        try session.query("""
            SELECT id, digest, issued_unix, expires_unix, status FROM contact_codes
            WHERE account_id = $1 AND channel = $2 ORDER BY id
            """, [.text(accountID), .text(channel.rawValue)], table: "contact_codes").map { row in
            ContactCodeRecord(
                id: try row.int64("id"), accountID: accountID, channel: channel, digest: try row.bytes("digest"),
                issuedAt: try row.timestamp("issued_unix"), expiresAt: try row.timestamp("expires_unix"),
                status: try row.enumeration("status", EmailCodeRecord.Status.self))
        }
    }

    func setContactCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) throws {
        try session.execute("UPDATE contact_codes SET status = $1 WHERE id = $2", [.text(status.rawValue), .integer(id)])
    }

    func markContactVerified(accountID: String, channel: ContactChannel, at time: Timestamp) throws {
        // The column name comes from this switch, never from input.
        let column = channel == .email ? "email_verified_unix" : "phone_verified_unix"
        try session.execute("UPDATE accounts SET \(column) = $1 WHERE id = $2 AND \(column) IS NULL",
                            [.integer(time.unixSeconds), .text(accountID)])
    }

    func insertInvitation(_ invitation: InvitationRecord) throws {
        try session.execute("""
            INSERT INTO invitations (id, token_digest, workspace, plan, email, inviter_account_id, created_unix, expires_unix,
            accepted_unix) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [
                .text(invitation.id), .bytes(invitation.tokenDigest), .text(invitation.workspace), .text(invitation.plan),
                .text(invitation.email), .text(invitation.inviterAccountID), .integer(invitation.createdAt.unixSeconds),
                .integer(invitation.expiresAt.unixSeconds), PostgresValue(invitation.acceptedAt?.unixSeconds),
            ])
    }

    func invitation(tokenDigest: [UInt8]) throws -> InvitationRecord? {
        guard let row = try session.queryOne("""
            SELECT id, workspace, plan, email, inviter_account_id, created_unix, expires_unix, accepted_unix
            FROM invitations WHERE token_digest = $1
            """, [.bytes(tokenDigest)], table: "invitations") else { return nil }
        return InvitationRecord(
            id: try row.string("id"), tokenDigest: tokenDigest, workspace: try row.string("workspace"),
            plan: try row.string("plan"), email: try row.string("email"), inviterAccountID: try row.string("inviter_account_id"),
            createdAt: try row.timestamp("created_unix"), expiresAt: try row.timestamp("expires_unix"),
            acceptedAt: try row.optionalTimestamp("accepted_unix"))
    }

    func markInvitationAccepted(id: String, at time: Timestamp) throws {
        try session.execute("UPDATE invitations SET accepted_unix = $1 WHERE id = $2", [.integer(time.unixSeconds), .text(id)])
    }
}
