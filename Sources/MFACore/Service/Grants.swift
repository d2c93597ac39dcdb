/// A session handed out by a login or a completed challenge.
public struct SessionGrant: Sendable, Hashable {
    /// The opaque session token (only its keyed hash is stored).
    public var token: String
    public var expiresAt: Timestamp
    /// The trusted-device token, when the caller asked to trust the device.
    public var deviceToken: String? = nil
}

/// A challenge handed out by a login that needs a code.
public struct ChallengeGrant: Sendable, Hashable {
    public var id: String
    public var methods: [MFAMethod]
    public var reason: MFAReason
}

/// What `Login` answers.
public enum LoginOutcome: Sendable, Hashable {
    /// No code needed; `reminder` during an enforcement grace period.
    case session(SessionGrant, reminder: Bool)
    /// A code is needed.
    case challenge(ChallengeGrant)
}

/// What `ResendCode` answers.
public struct ResendOutcome: Sendable, Hashable {
    public var codeExpiresAt: Timestamp
    public var resendsRemaining: Int
}

/// What `ValidateSession` answers.
public struct SessionInfo: Sendable, Hashable {
    public var accountID: String
    public var email: String
    public var plan: String
    public var workspace: String
    public var expiresAt: Timestamp
}

/// What `GetMfaStatus` answers.
public struct MFAStatus: Sendable, Hashable {
    public var totpEnabled: Bool
    public var mfaEnforced: Bool
    public var enforceFrom: Timestamp?
    public var methods: [MFAMethod]
    public var locked: Bool
    public var lockedUntilSupport: Bool
    public var retryAfterSeconds: Int64
    public var attemptsRemaining: Int
    public var trustedDevices: Int
}
