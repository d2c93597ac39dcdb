import MFACore

// Passwords, sessions per account, TOTP, recovery codes, trusted devices and sealed secrets.
extension SQLiteMFATransaction {
    func updatePassword(accountID: String, hash: String, changedAt: Timestamp) throws {
        try connection.run("UPDATE accounts SET password_hash = ?, password_changed_unix = ? WHERE id = ?",
                           [.text(hash), .integer(changedAt.unixSeconds), .text(accountID)])
    }

    func revokeSessions(accountID: String, keeping: [UInt8]?, at time: Timestamp) throws {
        try connection.run("""
            UPDATE sessions SET revoked_unix = ? WHERE account_id = ? AND revoked_unix IS NULL AND token_digest IS NOT ?
            """, [.integer(time.unixSeconds), .text(accountID), SQLiteValue(keeping)])
    }

    // MARK: TOTP

    func totpAuthenticator(accountID: String) throws -> TOTPAuthenticatorRecord? {
        guard let row = try connection.queryOne("""
            SELECT sealed_secret, algorithm, digits, period, last_used_step, enabled_unix
            FROM totp_authenticators WHERE account_id = ?
            """, [.text(accountID)]) else { return nil }
        return TOTPAuthenticatorRecord(
            accountID: accountID, sealedSecret: try row.blob("sealed_secret"), algorithm: try row.string("algorithm"),
            digits: try row.int("digits"), period: try row.int("period"), lastUsedStep: try row.int64("last_used_step"),
            enabledAt: Timestamp(unixSeconds: try row.int64("enabled_unix")))
    }

    func setTOTPAuthenticator(_ authenticator: TOTPAuthenticatorRecord) throws {
        try connection.run("""
            INSERT OR REPLACE INTO totp_authenticators
            (account_id, sealed_secret, algorithm, digits, period, last_used_step, enabled_unix) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(authenticator.accountID), .blob(authenticator.sealedSecret), .text(authenticator.algorithm),
                .integer(Int64(authenticator.digits)), .integer(Int64(authenticator.period)),
                .integer(authenticator.lastUsedStep), .integer(authenticator.enabledAt.unixSeconds),
            ])
    }

    func updateTOTPLastUsedStep(accountID: String, step: Int64) throws {
        try connection.run("UPDATE totp_authenticators SET last_used_step = ? WHERE account_id = ?",
                           [.integer(step), .text(accountID)])
    }

    func deleteTOTPAuthenticator(accountID: String) throws {
        try connection.run("DELETE FROM totp_authenticators WHERE account_id = ?", [.text(accountID)])
    }

    func insertTOTPEnrollment(_ enrollment: TOTPEnrollmentRecord) throws {
        try connection.run("""
            INSERT INTO totp_enrollments (id, account_id, sealed_secret, created_unix, expires_unix, confirmed, algorithm, digits, period)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(enrollment.id), .text(enrollment.accountID), .blob(enrollment.sealedSecret),
                .integer(enrollment.createdAt.unixSeconds), .integer(enrollment.expiresAt.unixSeconds),
                SQLiteValue(enrollment.confirmed), .text(enrollment.algorithm), SQLiteValue(enrollment.digits),
                SQLiteValue(enrollment.period),
            ])
    }

    func totpEnrollment(id: String) throws -> TOTPEnrollmentRecord? {
        guard let row = try connection.queryOne("""
            SELECT account_id, sealed_secret, created_unix, expires_unix, confirmed, algorithm, digits, period
            FROM totp_enrollments WHERE id = ?
            """, [.text(id)]) else { return nil }
        return TOTPEnrollmentRecord(
            id: id, accountID: try row.string("account_id"), sealedSecret: try row.blob("sealed_secret"),
            createdAt: Timestamp(unixSeconds: try row.int64("created_unix")),
            expiresAt: Timestamp(unixSeconds: try row.int64("expires_unix")), confirmed: try row.bool("confirmed"),
            algorithm: try row.string("algorithm"), digits: try row.int("digits"), period: try row.int("period"))
    }

    func markTOTPEnrollmentConfirmed(id: String) throws {
        try connection.run("UPDATE totp_enrollments SET confirmed = 1 WHERE id = ?", [.text(id)])
    }

    // MARK: Recovery codes

    func replaceRecoveryCodes(accountID: String, digests: [[UInt8]]) throws {
        try deleteRecoveryCodes(accountID: accountID)
        for digest in digests {
            try connection.run("INSERT INTO recovery_codes (account_id, digest) VALUES (?, ?)", [.text(accountID), .blob(digest)])
        }
    }

    func unusedRecoveryCodes(accountID: String) throws -> [RecoveryCodeRecord] {
        try connection.query("SELECT id, digest FROM recovery_codes WHERE account_id = ? AND used_unix IS NULL ORDER BY id",
                             [.text(accountID)]).map { row in
            RecoveryCodeRecord(id: try row.int64("id"), accountID: accountID, digest: try row.blob("digest"))
        }
    }

    func markRecoveryCodeUsed(id: Int64, at time: Timestamp) throws {
        try connection.run("UPDATE recovery_codes SET used_unix = ? WHERE id = ?", [.integer(time.unixSeconds), .integer(id)])
    }

    func deleteRecoveryCodes(accountID: String) throws {
        try connection.run("DELETE FROM recovery_codes WHERE account_id = ?", [.text(accountID)])
    }

    // MARK: Trusted devices

    private static let deviceColumns = """
        id, account_id, token_digest, label, created_unix, last_used_unix, expires_unix, revoked_unix, revocation
        """

    func insertTrustedDevice(_ device: TrustedDeviceRecord) throws {
        try connection.run("INSERT INTO trusted_devices (\(Self.deviceColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            .text(device.id), .text(device.accountID), .blob(device.tokenDigest), .text(device.label),
            .integer(device.createdAt.unixSeconds), .integer(device.lastUsedAt.unixSeconds),
            .integer(device.expiresAt.unixSeconds), SQLiteValue(device.revokedAt?.unixSeconds),
            SQLiteValue(device.revocation?.rawValue),
        ])
    }

    func trustedDevice(tokenDigest: [UInt8]) throws -> TrustedDeviceRecord? {
        try connection.queryOne("SELECT \(Self.deviceColumns) FROM trusted_devices WHERE token_digest = ?",
                                [.blob(tokenDigest)]).map(Self.device)
    }

    func activeTrustedDevices(accountID: String, now: Timestamp) throws -> [TrustedDeviceRecord] {
        try connection.query("""
            SELECT \(Self.deviceColumns) FROM trusted_devices
            WHERE account_id = ? AND revoked_unix IS NULL AND expires_unix > ? ORDER BY last_used_unix, created_unix, id
            """, [.text(accountID), .integer(now.unixSeconds)]).map(Self.device)
    }

    func touchTrustedDevice(id: String, at time: Timestamp) throws {
        try connection.run("UPDATE trusted_devices SET last_used_unix = ? WHERE id = ?", [.integer(time.unixSeconds), .text(id)])
    }

    func revokeTrustedDevice(id: String, at time: Timestamp, reason: TrustedDeviceRecord.Revocation) throws {
        try connection.run("UPDATE trusted_devices SET revoked_unix = ?, revocation = ? WHERE id = ? AND revoked_unix IS NULL",
                           [.integer(time.unixSeconds), .text(reason.rawValue), .text(id)])
    }

    func revokeTrustedDevices(accountID: String, at time: Timestamp, reason: TrustedDeviceRecord.Revocation) throws {
        try connection.run("""
            UPDATE trusted_devices SET revoked_unix = ?, revocation = ? WHERE account_id = ? AND revoked_unix IS NULL
            """, [.integer(time.unixSeconds), .text(reason.rawValue), .text(accountID)])
    }

    private static func device(_ row: SQLiteRow) throws -> TrustedDeviceRecord {
        let id = try row.string("id")
        let revocation = try row.optionalString("revocation").map { name in
            guard let reason = TrustedDeviceRecord.Revocation(rawValue: name) else {
                throw StoredValueError(table: "trusted_devices", id: id)
            }
            return reason
        }
        return TrustedDeviceRecord(
            id: id, accountID: try row.string("account_id"), tokenDigest: try row.blob("token_digest"),
            label: try row.string("label"), createdAt: Timestamp(unixSeconds: try row.int64("created_unix")),
            lastUsedAt: Timestamp(unixSeconds: try row.int64("last_used_unix")),
            expiresAt: Timestamp(unixSeconds: try row.int64("expires_unix")),
            revokedAt: try row.optionalInt64("revoked_unix").map(Timestamp.init(unixSeconds:)), revocation: revocation)
    }

    // MARK: Sealed secrets

    func sealedSecrets() throws -> [SealedSecretReference] {
        let authenticators = try connection.query("SELECT account_id, sealed_secret FROM totp_authenticators").map { row in
            let account = try row.string("account_id")
            return SealedSecretReference(table: "totp_authenticators", key: account,
                                         associatedData: TOTPSecretContext.associatedData(accountID: account),
                                         sealed: try row.blob("sealed_secret"))
        }
        let enrollments = try connection.query("SELECT id, account_id, sealed_secret FROM totp_enrollments").map { row in
            SealedSecretReference(table: "totp_enrollments", key: try row.string("id"),
                                  associatedData: TOTPSecretContext.associatedData(accountID: try row.string("account_id")),
                                  sealed: try row.blob("sealed_secret"))
        }
        return authenticators + enrollments
    }
}
