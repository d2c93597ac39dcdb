import MFACore

/// The `totp_authenticators`, `totp_enrollments`, `recovery_codes` and `trusted_devices` tables.
public enum FactorRows {
    // MARK: TOTP

    static let authenticator = SQLStatement("""
        SELECT sealed_secret, algorithm, digits, period, last_used_step, enabled_unix
        FROM totp_authenticators WHERE account_id = ?
        """, table: "totp_authenticators")
    /// Inserts or replaces every column (SQLite's INSERT OR REPLACE, written as an upsert).
    static let upsertAuthenticator = SQLStatement("""
        INSERT INTO totp_authenticators
        (account_id, sealed_secret, algorithm, digits, period, last_used_step, enabled_unix) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (account_id) DO UPDATE SET sealed_secret = EXCLUDED.sealed_secret, algorithm = EXCLUDED.algorithm,
        digits = EXCLUDED.digits, period = EXCLUDED.period, last_used_step = EXCLUDED.last_used_step,
        enabled_unix = EXCLUDED.enabled_unix
        """, table: "totp_authenticators")
    static let updateLastUsedStep = SQLStatement(
        "UPDATE totp_authenticators SET last_used_step = ? WHERE account_id = ?", table: "totp_authenticators")
    static let deleteAuthenticator = SQLStatement(
        "DELETE FROM totp_authenticators WHERE account_id = ?", table: "totp_authenticators")

    static func authenticatorValues(_ authenticator: TOTPAuthenticatorRecord) -> [SQLValue] {
        [
            .text(authenticator.accountID), .blob(authenticator.sealedSecret), .text(authenticator.algorithm),
            SQLValue(authenticator.digits), SQLValue(authenticator.period), .integer(authenticator.lastUsedStep),
            .integer(authenticator.enabledAt.unixSeconds),
        ]
    }

    static func authenticator(_ row: some SQLRow, accountID: String) throws -> TOTPAuthenticatorRecord {
        TOTPAuthenticatorRecord(
            accountID: accountID, sealedSecret: try row.bytes(0), algorithm: try row.string(1), digits: try row.int(2),
            period: try row.int(3), lastUsedStep: try row.int64(4), enabledAt: try row.timestamp(5))
    }

    static let insertEnrollment = SQLStatement("""
        INSERT INTO totp_enrollments (id, account_id, sealed_secret, created_unix, expires_unix, confirmed, algorithm, digits, period)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, table: "totp_enrollments")
    static let enrollment = SQLStatement("""
        SELECT account_id, sealed_secret, created_unix, expires_unix, confirmed, algorithm, digits, period
        FROM totp_enrollments WHERE id = ?
        """, table: "totp_enrollments")
    static let confirmEnrollment = SQLStatement(
        "UPDATE totp_enrollments SET confirmed = TRUE WHERE id = ?", table: "totp_enrollments")

    static func enrollmentValues(_ enrollment: TOTPEnrollmentRecord) -> [SQLValue] {
        [
            .text(enrollment.id), .text(enrollment.accountID), .blob(enrollment.sealedSecret),
            .integer(enrollment.createdAt.unixSeconds), .integer(enrollment.expiresAt.unixSeconds), .bool(enrollment.confirmed),
            .text(enrollment.algorithm), SQLValue(enrollment.digits), SQLValue(enrollment.period),
        ]
    }

    static func enrollment(_ row: some SQLRow, id: String) throws -> TOTPEnrollmentRecord {
        TOTPEnrollmentRecord(
            id: id, accountID: try row.string(0), sealedSecret: try row.bytes(1), createdAt: try row.timestamp(2),
            expiresAt: try row.timestamp(3), confirmed: try row.bool(4), algorithm: try row.string(5),
            digits: try row.int(6), period: try row.int(7))
    }

    // MARK: Recovery codes

    static let insertRecoveryCode = SQLStatement(
        "INSERT INTO recovery_codes (account_id, digest) VALUES (?, ?)", table: "recovery_codes")
    static let unusedRecoveryCodes = SQLStatement(
        "SELECT id, digest FROM recovery_codes WHERE account_id = ? AND used_unix IS NULL ORDER BY id", table: "recovery_codes")
    static let markRecoveryCodeUsed = SQLStatement(
        "UPDATE recovery_codes SET used_unix = ? WHERE id = ?", table: "recovery_codes")
    static let deleteRecoveryCodes = SQLStatement("DELETE FROM recovery_codes WHERE account_id = ?", table: "recovery_codes")

    // MARK: Trusted devices

    private static let deviceColumns = """
        id, account_id, token_digest, label, created_unix, last_used_unix, expires_unix, revoked_unix, revocation
        """
    static let insertDevice = SQLStatement(
        "INSERT INTO trusted_devices (\(deviceColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", table: "trusted_devices")
    static let deviceByToken = SQLStatement(
        "SELECT \(deviceColumns) FROM trusted_devices WHERE token_digest = ?", table: "trusted_devices")
    static let activeDevices = SQLStatement("""
        SELECT \(deviceColumns) FROM trusted_devices
        WHERE account_id = ? AND revoked_unix IS NULL AND expires_unix > ? ORDER BY last_used_unix, created_unix, id
        """, table: "trusted_devices")
    static let touchDevice = SQLStatement("UPDATE trusted_devices SET last_used_unix = ? WHERE id = ?", table: "trusted_devices")
    static let revokeDevice = SQLStatement(
        "UPDATE trusted_devices SET revoked_unix = ?, revocation = ? WHERE id = ? AND revoked_unix IS NULL",
        table: "trusted_devices")
    static let revokeDevicesOfAccount = SQLStatement(
        "UPDATE trusted_devices SET revoked_unix = ?, revocation = ? WHERE account_id = ? AND revoked_unix IS NULL",
        table: "trusted_devices")

    static func deviceValues(_ device: TrustedDeviceRecord) -> [SQLValue] {
        [
            .text(device.id), .text(device.accountID), .blob(device.tokenDigest), .text(device.label),
            .integer(device.createdAt.unixSeconds), .integer(device.lastUsedAt.unixSeconds),
            .integer(device.expiresAt.unixSeconds), SQLValue(device.revokedAt?.unixSeconds),
            SQLValue(device.revocation?.rawValue),
        ]
    }

    static func device(_ row: some SQLRow) throws -> TrustedDeviceRecord {
        TrustedDeviceRecord(
            id: try row.string(0), accountID: try row.string(1), tokenDigest: try row.bytes(2), label: try row.string(3),
            createdAt: try row.timestamp(4), lastUsedAt: try row.timestamp(5), expiresAt: try row.timestamp(6),
            revokedAt: try row.optionalTimestamp(7),
            revocation: try row.optionalEnumeration(8, TrustedDeviceRecord.Revocation.self))
    }

    // MARK: Sealed secrets

    static let authenticatorSecrets = SQLStatement(
        "SELECT account_id, sealed_secret FROM totp_authenticators", table: "totp_authenticators")
    static let enrollmentSecrets = SQLStatement(
        "SELECT id, account_id, sealed_secret FROM totp_enrollments", table: "totp_enrollments")
}
