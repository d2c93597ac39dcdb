import MFACore

// Sign-up verification codes and invitations.
extension SQLiteMFATransaction {
    func insertContactCode(_ code: ContactCodeRecord) throws {
        try connection.run("""
            INSERT INTO contact_codes (account_id, channel, digest, issued_unix, expires_unix, status) VALUES (?, ?, ?, ?, ?, ?)
            """, [
                .text(code.accountID), .text(code.channel.rawValue), .blob(code.digest), .integer(code.issuedAt.unixSeconds),
                .integer(code.expiresAt.unixSeconds), .text(code.status.rawValue),
            ])
    }

    func contactCodes(accountID: String, channel: ContactChannel) throws -> [ContactCodeRecord] {
        try connection.query("""
            SELECT id, digest, issued_unix, expires_unix, status FROM contact_codes
            WHERE account_id = ? AND channel = ? ORDER BY id
            """, [.text(accountID), .text(channel.rawValue)]).map { row in
            let id = try row.int64("id")
            guard let status = EmailCodeRecord.Status(rawValue: try row.string("status")) else {
                throw StoredValueError(table: "contact_codes", id: "\(id)")
            }
            return ContactCodeRecord(
                id: id, accountID: accountID, channel: channel, digest: try row.blob("digest"),
                issuedAt: Timestamp(unixSeconds: try row.int64("issued_unix")),
                expiresAt: Timestamp(unixSeconds: try row.int64("expires_unix")), status: status)
        }
    }

    func setContactCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) throws {
        try connection.run("UPDATE contact_codes SET status = ? WHERE id = ?", [.text(status.rawValue), .integer(id)])
    }

    func markContactVerified(accountID: String, channel: ContactChannel, at time: Timestamp) throws {
        let column = channel == .email ? "email_verified_unix" : "phone_verified_unix"
        try connection.run("UPDATE accounts SET \(column) = ? WHERE id = ? AND \(column) IS NULL",
                           [.integer(time.unixSeconds), .text(accountID)])
    }

    func insertInvitation(_ invitation: InvitationRecord) throws {
        try connection.run("""
            INSERT INTO invitations (id, token_digest, workspace, plan, email, inviter_account_id, created_unix, expires_unix,
            accepted_unix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(invitation.id), .blob(invitation.tokenDigest), .text(invitation.workspace), .text(invitation.plan),
                .text(invitation.email), .text(invitation.inviterAccountID), .integer(invitation.createdAt.unixSeconds),
                .integer(invitation.expiresAt.unixSeconds), SQLiteValue(invitation.acceptedAt?.unixSeconds),
            ])
    }

    func invitation(tokenDigest: [UInt8]) throws -> InvitationRecord? {
        guard let row = try connection.queryOne("""
            SELECT id, workspace, plan, email, inviter_account_id, created_unix, expires_unix, accepted_unix
            FROM invitations WHERE token_digest = ?
            """, [.blob(tokenDigest)]) else { return nil }
        return InvitationRecord(
            id: try row.string("id"), tokenDigest: tokenDigest, workspace: try row.string("workspace"),
            plan: try row.string("plan"), email: try row.string("email"), inviterAccountID: try row.string("inviter_account_id"),
            createdAt: Timestamp(unixSeconds: try row.int64("created_unix")),
            expiresAt: Timestamp(unixSeconds: try row.int64("expires_unix")),
            acceptedAt: try row.optionalInt64("accepted_unix").map(Timestamp.init(unixSeconds:)))
    }

    func markInvitationAccepted(id: String, at time: Timestamp) throws {
        try connection.run("UPDATE invitations SET accepted_unix = ? WHERE id = ?", [.integer(time.unixSeconds), .text(id)])
    }
}
