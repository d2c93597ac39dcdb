/// Where the service keeps its state. The core decides; the storage only stores, inside
/// transactions the core asks for, so every security decision is made against one consistent,
/// serialised view (SPEC 6).
public protocol MFAStorage: Sendable {
    /// Runs `body` in one write transaction, serialised with every other write, and returns once
    /// the transaction is durable. An error thrown by `body` rolls back its changes only.
    /// - Throws: the error `body` threw, or a storage error (then nothing of `body` persisted).
    func write<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) throws -> T) async throws -> T

    /// Runs `body` against a consistent snapshot; writes are refused.
    func read<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) throws -> T) async throws -> T
}

/// The operations available inside a transaction. Implementations are used from one thread at a
/// time (the one running the transaction) and need not be `Sendable`.
public protocol MFATransaction {
    /// Effects to run once this transaction committed (see ``CommitActions``): a body never
    /// touches anything outside the transaction directly, since it may be run again or rolled back.
    var afterCommit: CommitActions { get }

    // Accounts
    func account(id: String) throws -> AccountRecord?
    func account(email: String) throws -> AccountRecord?
    func insertAccount(_ account: AccountRecord) throws
    func updateAttempts(accountID: String, _ state: AttemptState) throws
    func updateGraceLoginsUsed(accountID: String, _ count: Int) throws

    // Password throttle, keyed by the keyed hash of the normalised email
    func passwordThrottle(key: [UInt8]) throws -> PasswordThrottleState
    func setPasswordThrottle(key: [UInt8], _ state: PasswordThrottleState) throws

    // Challenges and email codes
    func insertChallenge(_ challenge: ChallengeRecord) throws
    func challenge(id: String) throws -> ChallengeRecord?
    func updateChallenge(_ challenge: ChallengeRecord) throws
    func insertEmailCode(_ code: EmailCodeRecord) throws
    /// The codes of a challenge, oldest first.
    func emailCodes(challengeID: String) throws -> [EmailCodeRecord]
    func emailCode(linkDigest: [UInt8]) throws -> EmailCodeRecord?
    func setEmailCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) throws

    // Sessions
    func insertSession(_ session: SessionRecord) throws
    func session(tokenDigest: [UInt8]) throws -> SessionRecord?
    func revokeSession(tokenDigest: [UInt8], at time: Timestamp) throws

    // Enforcement policy
    func enforcementPolicy() throws -> EnforcementPolicy
    func setEnforcementPolicy(_ policy: EnforcementPolicy) throws

    // Outbox and audit
    /// A new, unused outbox row id (the sealed content is bound to it before the insert).
    func newOutboxID() throws -> Int64
    /// Inserts the message with its ``OutboxRecord/id`` from ``newOutboxID()``.
    func enqueueOutbox(_ message: OutboxRecord) throws
    /// Messages stored before contents were sealed (schema 6) that still hold clear content:
    /// id and content, for ``OutboxSealer`` to seal at start-up.
    func unsealedOutboxContents() throws -> [(id: Int64, content: OutboxContent)]
    /// Stores the sealed content of a message from before schema 6 and blanks its clear columns
    /// (only while it has no sealed content yet).
    func sealOutboxContent(id: Int64, sealed: [UInt8]) throws
    /// Every message, oldest first.
    func outboxMessages() throws -> [OutboxRecord]
    func appendAudit(_ event: AuditRecord) throws
    /// Events at or after `since`, oldest first; `accountID` nil for every account.
    func auditEvents(accountID: String?, since: Timestamp, limit: Int) throws -> [AuditRecord]

    // Passwords and sessions of an account
    func updatePassword(accountID: String, hash: String, changedAt: Timestamp) throws
    /// Revokes every live session of the account except the one with `keeping` (if any).
    func revokeSessions(accountID: String, keeping: [UInt8]?, at time: Timestamp) throws

    // TOTP
    func totpAuthenticator(accountID: String) throws -> TOTPAuthenticatorRecord?
    /// Inserts or replaces the account's authenticator.
    func setTOTPAuthenticator(_ authenticator: TOTPAuthenticatorRecord) throws
    func updateTOTPLastUsedStep(accountID: String, step: Int64) throws
    func deleteTOTPAuthenticator(accountID: String) throws
    func insertTOTPEnrollment(_ enrollment: TOTPEnrollmentRecord) throws
    func totpEnrollment(id: String) throws -> TOTPEnrollmentRecord?
    func markTOTPEnrollmentConfirmed(id: String) throws

    // Recovery codes
    /// Replaces every recovery code of the account.
    func replaceRecoveryCodes(accountID: String, digests: [[UInt8]]) throws
    /// The unused codes of the account.
    func unusedRecoveryCodes(accountID: String) throws -> [RecoveryCodeRecord]
    func markRecoveryCodeUsed(id: Int64, at time: Timestamp) throws
    func deleteRecoveryCodes(accountID: String) throws

    // Trusted devices
    func insertTrustedDevice(_ device: TrustedDeviceRecord) throws
    func trustedDevice(tokenDigest: [UInt8]) throws -> TrustedDeviceRecord?
    /// The account's devices that are neither revoked nor expired at `now`, least recently used first.
    func activeTrustedDevices(accountID: String, now: Timestamp) throws -> [TrustedDeviceRecord]
    func touchTrustedDevice(id: String, at time: Timestamp) throws
    func revokeTrustedDevice(id: String, at time: Timestamp, reason: TrustedDeviceRecord.Revocation) throws
    func revokeTrustedDevices(accountID: String, at time: Timestamp, reason: TrustedDeviceRecord.Revocation) throws

    // Secrets at rest
    /// Every sealed TOTP secret with the table and key it lives under (``DataKeys`` checks a
    /// database from before the key hierarchy against them).
    func sealedSecrets() throws -> [SealedSecretReference]

    // Sign-up verification and invitations
    func insertContactCode(_ code: ContactCodeRecord) throws
    /// The account's codes on `channel`, oldest first.
    func contactCodes(accountID: String, channel: ContactChannel) throws -> [ContactCodeRecord]
    func setContactCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) throws
    func markContactVerified(accountID: String, channel: ContactChannel, at time: Timestamp) throws
    func insertInvitation(_ invitation: InvitationRecord) throws
    func invitation(tokenDigest: [UInt8]) throws -> InvitationRecord?
    func markInvitationAccepted(id: String, at time: Timestamp) throws

    // API keys of calling services
    func insertAPIKey(_ key: APIKeyRecord) throws
    func apiKey(digest: [UInt8]) throws -> APIKeyRecord?
    /// Every key, oldest first.
    func apiKeys() throws -> [APIKeyRecord]
    /// Revokes the key with this id, or every key of this service. Returns how many were revoked.
    func revokeAPIKeys(idOrService: String, at time: Timestamp) throws -> Int

    // Small named settings (e.g. the test-mode clock)
    func setting(_ key: String) throws -> String?
    func setSetting(_ key: String, _ value: String) throws
}

/// Where a sealed secret is stored.
public struct SealedSecretReference: Sendable, Hashable {
    /// `totp_authenticators` or `totp_enrollments`.
    public var table: String
    /// The row's key (account id or enrolment id).
    public var key: String
    /// The authenticated data the secret was sealed with.
    public var associatedData: String
    public var sealed: [UInt8]

    /// Creates a reference; see the properties.
    public init(table: String, key: String, associatedData: String, sealed: [UInt8]) {
        self.table = table
        self.key = key
        self.associatedData = associatedData
        self.sealed = sealed
    }
}
