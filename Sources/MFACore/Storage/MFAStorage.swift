/// Where the service keeps its state. The core decides; the storage only stores, inside
/// transactions the core asks for, so every security decision is made against one consistent,
/// serialised view (SPEC 6).
public protocol MFAStorage: Sendable {
    /// Runs `body` in one write transaction, serialised with every other write, and returns once
    /// the transaction is durable. An error thrown by `body` rolls back its changes only.
    /// - Throws: the error `body` threw, or a storage error (then nothing of `body` persisted).
    func write<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) async throws -> T) async throws -> T

    /// Runs `body` against a consistent snapshot; writes are refused.
    func read<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) async throws -> T) async throws -> T
}

/// The operations available inside a transaction. They are `async` so that an engine can wait for
/// its database without holding a thread (PostgreSQL) or answer at once without suspending
/// (SQLite, whose calls never suspend). One task uses a transaction at a time (the one running
/// the body); implementations need not be `Sendable`.
public protocol MFATransaction {
    /// Effects to run once this transaction committed (see ``CommitActions``): a body never
    /// touches anything outside the transaction directly, since it may be run again or rolled back.
    var afterCommit: CommitActions { get }

    // Accounts
    func account(id: String) async throws -> AccountRecord?
    func account(email: String) async throws -> AccountRecord?
    func insertAccount(_ account: AccountRecord) async throws
    func updateAttempts(accountID: String, _ state: AttemptState) async throws
    func updateGraceLoginsUsed(accountID: String, _ count: Int) async throws

    // Password throttle, keyed by the keyed hash of the normalised email
    func passwordThrottle(key: [UInt8]) async throws -> PasswordThrottleState
    func setPasswordThrottle(key: [UInt8], _ state: PasswordThrottleState) async throws

    // Challenges and email codes
    func insertChallenge(_ challenge: ChallengeRecord) async throws
    func challenge(id: String) async throws -> ChallengeRecord?
    func updateChallenge(_ challenge: ChallengeRecord) async throws
    func insertEmailCode(_ code: EmailCodeRecord) async throws
    /// The codes of a challenge, oldest first.
    func emailCodes(challengeID: String) async throws -> [EmailCodeRecord]
    func emailCode(linkDigest: [UInt8]) async throws -> EmailCodeRecord?
    func setEmailCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) async throws

    // Sessions
    func insertSession(_ session: SessionRecord) async throws
    func session(tokenDigest: [UInt8]) async throws -> SessionRecord?
    /// The session and its account in one read (one statement, one round trip); nil when either
    /// is missing.
    func sessionWithAccount(tokenDigest: [UInt8]) async throws -> (SessionRecord, AccountRecord)?
    func revokeSession(tokenDigest: [UInt8], at time: Timestamp) async throws

    // Enforcement policy
    func enforcementPolicy() async throws -> EnforcementPolicy
    func setEnforcementPolicy(_ policy: EnforcementPolicy) async throws

    // Outbox and audit
    /// A new, unused outbox row id (the sealed content is bound to it before the insert).
    func newOutboxID() async throws -> Int64
    /// Inserts the message with its ``OutboxRecord/id`` from ``newOutboxID()``.
    func enqueueOutbox(_ message: OutboxRecord) async throws
    /// Messages stored before contents were sealed (schema 6) that still hold clear content:
    /// id and content, for ``OutboxSealer`` to seal at start-up.
    func unsealedOutboxContents() async throws -> [(id: Int64, content: OutboxContent)]
    /// Stores the sealed content of a message from before schema 6 and blanks its clear columns
    /// (only while it has no sealed content yet).
    func sealOutboxContent(id: Int64, sealed: [UInt8]) async throws
    /// Every message, oldest first.
    func outboxMessages() async throws -> [OutboxRecord]
    func appendAudit(_ event: AuditRecord) async throws
    /// Events at or after `since`, oldest first; `accountID` nil for every account.
    func auditEvents(accountID: String?, since: Timestamp, limit: Int) async throws -> [AuditRecord]

    // Passwords and sessions of an account
    func updatePassword(accountID: String, hash: String, changedAt: Timestamp) async throws
    /// Revokes every live session of the account except the one with `keeping` (if any).
    func revokeSessions(accountID: String, keeping: [UInt8]?, at time: Timestamp) async throws

    // TOTP
    func totpAuthenticator(accountID: String) async throws -> TOTPAuthenticatorRecord?
    /// Inserts or replaces the account's authenticator.
    func setTOTPAuthenticator(_ authenticator: TOTPAuthenticatorRecord) async throws
    func updateTOTPLastUsedStep(accountID: String, step: Int64) async throws
    func deleteTOTPAuthenticator(accountID: String) async throws
    func insertTOTPEnrollment(_ enrollment: TOTPEnrollmentRecord) async throws
    func totpEnrollment(id: String) async throws -> TOTPEnrollmentRecord?
    func markTOTPEnrollmentConfirmed(id: String) async throws

    // Recovery codes
    /// Replaces every recovery code of the account.
    func replaceRecoveryCodes(accountID: String, digests: [[UInt8]]) async throws
    /// The unused codes of the account.
    func unusedRecoveryCodes(accountID: String) async throws -> [RecoveryCodeRecord]
    func markRecoveryCodeUsed(id: Int64, at time: Timestamp) async throws
    func deleteRecoveryCodes(accountID: String) async throws

    // Trusted devices
    func insertTrustedDevice(_ device: TrustedDeviceRecord) async throws
    func trustedDevice(tokenDigest: [UInt8]) async throws -> TrustedDeviceRecord?
    /// The account's devices that are neither revoked nor expired at `now`, least recently used first.
    func activeTrustedDevices(accountID: String, now: Timestamp) async throws -> [TrustedDeviceRecord]
    func touchTrustedDevice(id: String, at time: Timestamp) async throws
    func revokeTrustedDevice(id: String, at time: Timestamp, reason: TrustedDeviceRecord.Revocation) async throws
    func revokeTrustedDevices(accountID: String, at time: Timestamp, reason: TrustedDeviceRecord.Revocation) async throws

    // Secrets at rest
    /// Every sealed TOTP secret with the table and key it lives under (``DataKeys`` checks a
    /// database from before the key hierarchy against them).
    func sealedSecrets() async throws -> [SealedSecretReference]

    // Sign-up verification and invitations
    func insertContactCode(_ code: ContactCodeRecord) async throws
    /// The account's codes on `channel`, oldest first.
    func contactCodes(accountID: String, channel: ContactChannel) async throws -> [ContactCodeRecord]
    func setContactCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) async throws
    func markContactVerified(accountID: String, channel: ContactChannel, at time: Timestamp) async throws
    func insertInvitation(_ invitation: InvitationRecord) async throws
    func invitation(tokenDigest: [UInt8]) async throws -> InvitationRecord?
    func markInvitationAccepted(id: String, at time: Timestamp) async throws

    // API keys of calling services
    func insertAPIKey(_ key: APIKeyRecord) async throws
    func apiKey(digest: [UInt8]) async throws -> APIKeyRecord?
    /// Every key, oldest first.
    func apiKeys() async throws -> [APIKeyRecord]
    /// Revokes the key with this id, or every key of this service. Returns how many were revoked.
    func revokeAPIKeys(idOrService: String, at time: Timestamp) async throws -> Int

    // Small named settings (e.g. the test-mode clock)
    func setting(_ key: String) async throws -> String?
    func setSetting(_ key: String, _ value: String) async throws
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
