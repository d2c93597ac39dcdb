/// A confirmed TOTP authenticator (one per account).
public struct TOTPAuthenticatorRecord: Sendable, Hashable {
    public var accountID: String
    /// The secret, sealed with AES-256-GCM under the master key (never stored in clear).
    public var sealedSecret: [UInt8]
    /// `sha1`, `sha256` or `sha512`.
    public var algorithm: String
    public var digits: Int
    public var period: Int
    /// The last time step accepted; no step at or before it is accepted again (replay).
    public var lastUsedStep: Int64
    public var enabledAt: Timestamp

    /// Creates a record; see the properties.
    public init(accountID: String, sealedSecret: [UInt8], algorithm: String, digits: Int, period: Int,
                lastUsedStep: Int64, enabledAt: Timestamp) {
        self.accountID = accountID
        self.sealedSecret = sealedSecret
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
        self.lastUsedStep = lastUsedStep
        self.enabledAt = enabledAt
    }
}

/// A TOTP enrolment that waits for its first code.
public struct TOTPEnrollmentRecord: Sendable, Hashable {
    public var id: String
    public var accountID: String
    public var sealedSecret: [UInt8]
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
    public var confirmed: Bool
    /// The parameters the enrolment's URI announced (`SHA1`, 6, 30 unless configured otherwise):
    /// the confirming code and the authenticator use them, whatever is configured by then.
    public var algorithm: String
    public var digits: Int
    public var period: Int

    /// Creates a record; see the properties.
    public init(id: String, accountID: String, sealedSecret: [UInt8], createdAt: Timestamp, expiresAt: Timestamp,
                confirmed: Bool = false, algorithm: String = "SHA1", digits: Int = 6, period: Int = 30) {
        self.id = id
        self.accountID = accountID
        self.sealedSecret = sealedSecret
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.confirmed = confirmed
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
    }
}

/// One recovery code, as its keyed hash.
public struct RecoveryCodeRecord: Sendable, Hashable {
    public var id: Int64
    public var accountID: String
    public var digest: [UInt8]
    public var usedAt: Timestamp?

    /// Creates a record; see the properties.
    public init(id: Int64 = 0, accountID: String, digest: [UInt8], usedAt: Timestamp? = nil) {
        self.id = id
        self.accountID = accountID
        self.digest = digest
        self.usedAt = usedAt
    }
}

/// A device that skips MFA for its account until it expires or is revoked (SPEC 2.4).
public struct TrustedDeviceRecord: Sendable, Hashable {
    /// Why a device stopped being trusted.
    public enum Revocation: String, Sendable, Hashable {
        case removed
        case passwordChanged = "password_changed"
        case mfaReset = "mfa_reset"
        case mfaDisabled = "mfa_disabled"
        case replaced
    }

    /// Opaque random id, shown in `ListTrustedDevices`.
    public var id: String
    public var accountID: String
    /// Keyed hash of the device token.
    public var tokenDigest: [UInt8]
    public var label: String
    public var createdAt: Timestamp
    public var lastUsedAt: Timestamp
    public var expiresAt: Timestamp
    public var revokedAt: Timestamp?
    public var revocation: Revocation?

    /// Creates a record; see the properties.
    public init(id: String, accountID: String, tokenDigest: [UInt8], label: String, createdAt: Timestamp,
                lastUsedAt: Timestamp, expiresAt: Timestamp, revokedAt: Timestamp? = nil, revocation: Revocation? = nil) {
        self.id = id
        self.accountID = accountID
        self.tokenDigest = tokenDigest
        self.label = label
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.revocation = revocation
    }
}
