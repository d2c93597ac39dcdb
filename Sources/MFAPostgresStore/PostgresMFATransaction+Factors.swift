import MFACore

// Passwords, sessions per account, TOTP, recovery codes, trusted devices and sealed secrets.
extension PostgresMFATransaction {
    func updatePassword(accountID: String, hash: String, changedAt: Timestamp) throws {
        try session.execute("UPDATE accounts SET password_hash = $1, password_changed_unix = $2 WHERE id = $3",
                            [.text(hash), .integer(changedAt.unixSeconds), .text(accountID)])
    }

    func revokeSessions(accountID: String, keeping: [UInt8]?, at time: Timestamp) throws {
        try session.execute("""
            UPDATE sessions SET revoked_unix = $1
            WHERE account_id = $2 AND revoked_unix IS NULL AND token_digest IS DISTINCT FROM $3::bytea
            """, [.integer(time.unixSeconds), .text(accountID), PostgresValue(keeping)])
    }

    // MARK: TOTP

    func totpAuthenticator(accountID: String) throws -> TOTPAuthenticatorRecord? {
        guard let row = try session.queryOne("""
            SELECT sealed_secret, algorithm, digits, period, last_used_step, enabled_unix
            FROM totp_authenticators WHERE account_id = $1
            """, [.text(accountID)], table: "totp_authenticators") else { return nil }
        return TOTPAuthenticatorRecord(
            accountID: accountID, sealedSecret: try row.bytes("sealed_secret"), algorithm: try row.string("algorithm"),
            digits: try row.int("digits"), period: try row.int("period"), lastUsedStep: try row.int64("last_used_step"),
            enabledAt: try row.timestamp("enabled_unix"))
    }

    func setTOTPAuthenticator(_ authenticator: TOTPAuthenticatorRecord) throws {
        // SQLite's INSERT OR REPLACE: every column takes the new value.
        try session.execute("""
            INSERT INTO totp_authenticators
            (account_id, sealed_secret, algorithm, digits, period, last_used_step, enabled_unix) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (account_id) DO UPDATE SET sealed_secret = EXCLUDED.sealed_secret, algorithm = EXCLUDED.algorithm,
            digits = EXCLUDED.digits, period = EXCLUDED.period, last_used_step = EXCLUDED.last_used_step,
            enabled_unix = EXCLUDED.enabled_unix
            """, [
                .text(authenticator.accountID), .bytes(authenticator.sealedSecret), .text(authenticator.algorithm),
                PostgresValue(authenticator.digits), PostgresValue(authenticator.period),
                .integer(authenticator.lastUsedStep), .integer(authenticator.enabledAt.unixSeconds),
            ])
    }

    func updateTOTPLastUsedStep(accountID: String, step: Int64) throws {
        try session.execute("UPDATE totp_authenticators SET last_used_step = $1 WHERE account_id = $2",
                            [.integer(step), .text(accountID)])
    }

    func deleteTOTPAuthenticator(accountID: String) throws {
        try session.execute("DELETE FROM totp_authenticators WHERE account_id = $1", [.text(accountID)])
    }

    func insertTOTPEnrollment(_ enrollment: TOTPEnrollmentRecord) throws {
        try session.execute("""
            INSERT INTO totp_enrollments (id, account_id, sealed_secret, created_unix, expires_unix, confirmed, algorithm, digits, period)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [
                .text(enrollment.id), .text(enrollment.accountID), .bytes(enrollment.sealedSecret),
                .integer(enrollment.createdAt.unixSeconds), .integer(enrollment.expiresAt.unixSeconds), .bool(enrollment.confirmed),
                .text(enrollment.algorithm), PostgresValue(enrollment.digits), PostgresValue(enrollment.period),
            ])
    }

    func totpEnrollment(id: String) throws -> TOTPEnrollmentRecord? {
        guard let row = try session.queryOne("""
            SELECT account_id, sealed_secret, created_unix, expires_unix, confirmed, algorithm, digits, period
            FROM totp_enrollments WHERE id = $1
            """, [.text(id)], table: "totp_enrollments") else { return nil }
        return TOTPEnrollmentRecord(
            id: id, accountID: try row.string("account_id"), sealedSecret: try row.bytes("sealed_secret"),
            createdAt: try row.timestamp("created_unix"), expiresAt: try row.timestamp("expires_unix"),
            confirmed: try row.bool("confirmed"), algorithm: try row.string("algorithm"), digits: try row.int("digits"),
            period: try row.int("period"))
    }

    func markTOTPEnrollmentConfirmed(id: String) throws {
        try session.execute("UPDATE totp_enrollments SET confirmed = true WHERE id = $1", [.text(id)])
    }

    // MARK: Recovery codes

    func replaceRecoveryCodes(accountID: String, digests: [[UInt8]]) throws {
        try deleteRecoveryCodes(accountID: accountID)
        for digest in digests {
            try session.execute("INSERT INTO recovery_codes (account_id, digest) VALUES ($1, $2)", [.text(accountID), .bytes(digest)])
        }
    }

    func unusedRecoveryCodes(accountID: String) throws -> [RecoveryCodeRecord] {
        try session.query("SELECT id, digest FROM recovery_codes WHERE account_id = $1 AND used_unix IS NULL ORDER BY id",
                          [.text(accountID)], table: "recovery_codes").map { row in
            RecoveryCodeRecord(id: try row.int64("id"), accountID: accountID, digest: try row.bytes("digest"))
        }
    }

    func markRecoveryCodeUsed(id: Int64, at time: Timestamp) throws {
        try session.execute("UPDATE recovery_codes SET used_unix = $1 WHERE id = $2", [.integer(time.unixSeconds), .integer(id)])
    }

    func deleteRecoveryCodes(accountID: String) throws {
        try session.execute("DELETE FROM recovery_codes WHERE account_id = $1", [.text(accountID)])
    }

    // MARK: Trusted devices

    private static let deviceColumns = """
        id, account_id, token_digest, label, created_unix, last_used_unix, expires_unix, revoked_unix, revocation
        """

    func insertTrustedDevice(_ device: TrustedDeviceRecord) throws {
        try session.execute("INSERT INTO trusted_devices (\(Self.deviceColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", [
            .text(device.id), .text(device.accountID), .bytes(device.tokenDigest), .text(device.label),
            .integer(device.createdAt.unixSeconds), .integer(device.lastUsedAt.unixSeconds),
            .integer(device.expiresAt.unixSeconds), PostgresValue(device.revokedAt?.unixSeconds),
            PostgresValue(device.revocation?.rawValue),
        ])
    }

    func trustedDevice(tokenDigest: [UInt8]) throws -> TrustedDeviceRecord? {
        try session.queryOne("SELECT \(Self.deviceColumns) FROM trusted_devices WHERE token_digest = $1",
                             [.bytes(tokenDigest)], table: "trusted_devices").map(Self.device)
    }

    func activeTrustedDevices(accountID: String, now: Timestamp) throws -> [TrustedDeviceRecord] {
        try session.query("""
            SELECT \(Self.deviceColumns) FROM trusted_devices
            WHERE account_id = $1 AND revoked_unix IS NULL AND expires_unix > $2 ORDER BY last_used_unix, created_unix, id
            """, [.text(accountID), .integer(now.unixSeconds)], table: "trusted_devices").map(Self.device)
    }

    func touchTrustedDevice(id: String, at time: Timestamp) throws {
        try session.execute("UPDATE trusted_devices SET last_used_unix = $1 WHERE id = $2", [.integer(time.unixSeconds), .text(id)])
    }

    func revokeTrustedDevice(id: String, at time: Timestamp, reason: TrustedDeviceRecord.Revocation) throws {
        try session.execute("UPDATE trusted_devices SET revoked_unix = $1, revocation = $2 WHERE id = $3 AND revoked_unix IS NULL",
                            [.integer(time.unixSeconds), .text(reason.rawValue), .text(id)])
    }

    func revokeTrustedDevices(accountID: String, at time: Timestamp, reason: TrustedDeviceRecord.Revocation) throws {
        try session.execute("""
            UPDATE trusted_devices SET revoked_unix = $1, revocation = $2 WHERE account_id = $3 AND revoked_unix IS NULL
            """, [.integer(time.unixSeconds), .text(reason.rawValue), .text(accountID)])
    }

    private static func device(_ row: PostgresRowReader) throws -> TrustedDeviceRecord {
        let revocation = try row.optionalString("revocation").map { name in
            guard let reason = TrustedDeviceRecord.Revocation(rawValue: name) else {
                throw row.unreadable("revocation", "an unknown revocation reason")
            }
            return reason
        }
        return TrustedDeviceRecord(
            id: try row.string("id"), accountID: try row.string("account_id"), tokenDigest: try row.bytes("token_digest"),
            label: try row.string("label"), createdAt: try row.timestamp("created_unix"),
            lastUsedAt: try row.timestamp("last_used_unix"), expiresAt: try row.timestamp("expires_unix"),
            revokedAt: try row.optionalTimestamp("revoked_unix"), revocation: revocation)
    }

    // MARK: Sealed secrets

    func sealedSecrets() throws -> [SealedSecretReference] {
        let authenticators = try session.query("SELECT account_id, sealed_secret FROM totp_authenticators",
                                               table: "totp_authenticators").map { row in
            let account = try row.string("account_id")
            return SealedSecretReference(table: "totp_authenticators", key: account,
                                         associatedData: TOTPSecretContext.associatedData(accountID: account),
                                         sealed: try row.bytes("sealed_secret"))
        }
        let enrollments = try session.query("SELECT id, account_id, sealed_secret FROM totp_enrollments",
                                            table: "totp_enrollments").map { row in
            SealedSecretReference(table: "totp_enrollments", key: try row.string("id"),
                                  associatedData: TOTPSecretContext.associatedData(accountID: try row.string("account_id")),
                                  sealed: try row.bytes("sealed_secret"))
        }
        return authenticators + enrollments
    }
}
