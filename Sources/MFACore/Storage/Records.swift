/// An account as stored.
public struct AccountRecord: Sendable, Hashable {
    /// Opaque random id (base64url).
    public var id: String
    /// Normalised email (unique).
    public var email: String
    /// Argon2id PHC string.
    public var passwordHash: String
    /// E.164 phone number.
    public var phone: String
    public var plan: String
    public var workspace: String
    public var createdAt: Timestamp
    /// When the password was last set; trusted devices older than this are revoked.
    public var passwordChangedAt: Timestamp
    /// The wrong-code counter and lock (SPEC 2.3).
    public var attempts: AttemptState
    /// Logins let through with a reminder during an enforcement grace period.
    public var graceLoginsUsed: Int
    /// Whether a confirmed TOTP authenticator is enabled.
    public var totpEnabled: Bool
    /// When the email address was verified (sign-up code or invitation); nil until then.
    public var emailVerifiedAt: Timestamp?
    /// When the phone number was verified; nil until then (set at creation when there is none).
    public var phoneVerifiedAt: Timestamp?

    /// Both contacts are verified, so the account may log in (SPEC 3).
    public var isVerified: Bool { emailVerifiedAt != nil && phoneVerifiedAt != nil }

    /// Creates a record; see the properties.
    public init(id: String, email: String, passwordHash: String, phone: String, plan: String, workspace: String,
                createdAt: Timestamp, passwordChangedAt: Timestamp, attempts: AttemptState = AttemptState(),
                graceLoginsUsed: Int = 0, totpEnabled: Bool = false, emailVerifiedAt: Timestamp? = nil,
                phoneVerifiedAt: Timestamp? = nil) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.phone = phone
        self.plan = plan
        self.workspace = workspace
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
        self.attempts = attempts
        self.graceLoginsUsed = graceLoginsUsed
        self.totpEnabled = totpEnabled
        self.emailVerifiedAt = emailVerifiedAt
        self.phoneVerifiedAt = phoneVerifiedAt
    }
}

/// A login challenge: the second step of a login that needs a code.
public struct ChallengeRecord: Sendable, Hashable {
    /// Open until a code or link completes it.
    public enum Status: String, Sendable, Hashable {
        case open
        case completed
    }

    /// Opaque random id (base64url), returned as `challenge_id`.
    public var id: String
    public var accountID: String
    public var createdAt: Timestamp
    public var reason: MFAReason
    public var methods: [MFAMethod]
    public var status: Status
    /// Resends so far (the first email is not one).
    public var resendCount: Int
    /// When the current email code was sent.
    public var lastSentAt: Timestamp

    /// Creates a record; see the properties.
    public init(id: String, accountID: String, createdAt: Timestamp, reason: MFAReason, methods: [MFAMethod],
                status: Status = .open, resendCount: Int = 0, lastSentAt: Timestamp) {
        self.id = id
        self.accountID = accountID
        self.createdAt = createdAt
        self.reason = reason
        self.methods = methods
        self.status = status
        self.resendCount = resendCount
        self.lastSentAt = lastSentAt
    }
}

/// One email code and its link, as keyed hashes.
public struct EmailCodeRecord: Sendable, Hashable {
    /// `active` until replaced by a resend (`superseded`) or accepted (`used`).
    public enum Status: String, Sendable, Hashable {
        case active
        case superseded
        case used
    }

    /// Row id; 0 before insertion.
    public var id: Int64
    public var challengeID: String
    /// HMAC of the challenge id and the normalised code.
    public var codeDigest: [UInt8]
    /// HMAC of the link token.
    public var linkDigest: [UInt8]
    public var issuedAt: Timestamp
    public var expiresAt: Timestamp
    public var status: Status

    /// Creates a record; see the properties.
    public init(id: Int64 = 0, challengeID: String, codeDigest: [UInt8], linkDigest: [UInt8],
                issuedAt: Timestamp, expiresAt: Timestamp, status: Status = .active) {
        self.id = id
        self.challengeID = challengeID
        self.codeDigest = codeDigest
        self.linkDigest = linkDigest
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.status = status
    }
}

/// A session, stored by the keyed hash of its token.
public struct SessionRecord: Sendable, Hashable {
    public var tokenDigest: [UInt8]
    public var accountID: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
    public var revokedAt: Timestamp?

    /// Creates a record; see the properties.
    public init(tokenDigest: [UInt8], accountID: String, createdAt: Timestamp, expiresAt: Timestamp, revokedAt: Timestamp? = nil) {
        self.tokenDigest = tokenDigest
        self.accountID = accountID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// A message waiting for (or done with) delivery (SPEC 5), as stored: what it says is sealed
/// (``OutboxSealer``), and scrubbed once it is sent or dead.
public struct OutboxRecord: Sendable, Hashable {
    /// Delivery state.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Waiting for the delivery worker.
        case queued
        /// No delivery configured: kept for a developer to read (`mfactl outbox`).
        case held
        case sent
        /// Failed too often; needs an operator.
        case dead
    }

    /// Row id; allocated by ``MFATransaction/newOutboxID()`` before sealing, since the sealed
    /// content is bound to it.
    public var id: Int64
    public var createdAt: Timestamp
    /// `email` or `sms`.
    public var channel: String
    public var recipient: String
    /// Kept in clear (never holds a code or a link).
    public var subject: String
    /// The body, HTML body, code and link token, sealed under the sealing data key with the row
    /// id as associated data; nil once the message is sent or dead (scrubbed).
    public var sealedContent: [UInt8]?
    public var state: State
    /// Failed delivery attempts so far.
    public var attempts: Int
    /// A short reason for the last failed attempt (never a body, code or credential); empty if none.
    public var lastError: String
    /// The stable RFC 5322 Message-ID (without angle brackets), assigned when the message is first
    /// claimed for delivery and reused by every retry; nil before that.
    public var messageID: String?
    /// When the message may next be claimed (its retry time, or the end of a claim's lease).
    public var nextAttemptAt: Timestamp?
    /// When the remote side accepted the message (`sent` only).
    public var sentAt: Timestamp?

    /// Creates a record; see the properties.
    public init(id: Int64, createdAt: Timestamp, channel: String, recipient: String, subject: String, sealedContent: [UInt8]?,
                state: State, attempts: Int = 0, lastError: String = "", messageID: String? = nil,
                nextAttemptAt: Timestamp? = nil, sentAt: Timestamp? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.sealedContent = sealedContent
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.messageID = messageID
        self.nextAttemptAt = nextAttemptAt
        self.sentAt = sentAt
    }
}

/// The security events recorded in the audit log (SPEC 3).
public enum AuditKind: String, Sendable, Hashable, CaseIterable {
    case accountCreated = "account_created"
    case loginOK = "login_ok"
    case loginFailed = "login_failed"
    case passwordThrottled = "password_throttled"
    case codeSent = "code_sent"
    case codeOK = "code_ok"
    case codeWrong = "code_wrong"
    case codeExpired = "code_expired"
    case locked = "locked"
    case unlocked = "unlocked"
    case logout = "logout"
    case policyChanged = "policy_changed"
    case totpEnrollmentStarted = "totp_enrollment_started"
    case totpEnabled = "totp_enabled"
    case totpDisabled = "totp_disabled"
    case recoveryCodeUsed = "recovery_code_used"
    case recoveryCodesRegenerated = "recovery_codes_regenerated"
    case deviceTrusted = "device_trusted"
    case deviceRemoved = "device_removed"
    case passwordChanged = "password_changed"
    case mfaReset = "mfa_reset"
    case contactVerified = "contact_verified"
    case invitationSent = "invitation_sent"
    case invitationAccepted = "invitation_accepted"
}

/// One audit event.
public struct AuditRecord: Sendable, Hashable {
    /// Row id; 0 before insertion. Ids grow with time.
    public var id: Int64
    public var at: Timestamp
    /// Empty for events about no account (policy changes).
    public var accountID: String
    public var kind: AuditKind
    /// Non-secret detail.
    public var detail: String

    /// Creates a record; see the properties.
    public init(id: Int64 = 0, at: Timestamp, accountID: String, kind: AuditKind, detail: String = "") {
        self.id = id
        self.at = at
        self.accountID = accountID
        self.kind = kind
        self.detail = detail
    }
}
