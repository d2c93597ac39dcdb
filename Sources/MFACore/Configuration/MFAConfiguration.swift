import MFACrypto

/// Every tunable of the MFA rules, with the spec's defaults. A value: build it at start-up,
/// ``validate()`` it, and pass it to the service.
///
/// The enforcement policy is not here: it is changed at run time by `SetEnforcementPolicy`
/// and stored, so it travels as its own ``EnforcementPolicy`` value.
public struct MFAConfiguration: Sendable, Hashable {
    /// Wrong-code lockout (3 attempts, 5 min, support after 3 locks in 24 h).
    public var lockout: LockoutPolicy
    /// Wrong-password throttle (10 in 15 min lock for 15 min).
    public var passwordThrottle: PasswordThrottle
    /// Resend throttle (60 s, 5 per challenge).
    public var resendThrottle: ResendThrottle
    /// Email code format (6 characters).
    public var emailCode: EmailCode
    /// How long an email code and its link stay valid (1 200 s, 20 min; SPEC 6.1 notes this is
    /// longer than NIST's 10 minutes, on purpose).
    public var emailCodeValiditySeconds: Int64
    /// Session lifetime (43 200 s, 12 h).
    public var sessionLifetimeSeconds: Int64
    /// Trusted-device lifetime (90 days).
    public var trustedDeviceLifetimeSeconds: Int64
    /// Trusted devices kept per account; trusting one more drops the least recently used (20).
    public var maxTrustedDevices: Int
    /// How long an unconfirmed TOTP enrolment lasts (900 s).
    public var totpEnrollmentLifetimeSeconds: Int64
    /// How long an invitation link lasts (7 days).
    public var invitationLifetimeSeconds: Int64
    /// Recovery codes issued at a time (10).
    public var recoveryCodeCount: Int
    /// Whether TOTP accounts may fall back to email codes (default no).
    public var emailFallbackAllowed: Bool
    /// Password length rules (8...256).
    public var passwordPolicy: PasswordPolicy
    /// Argon2id cost for password hashes (OWASP: 19 MiB, t=2, p=1).
    public var passwordHashing: Argon2idHasher.Parameters
    /// TOTP parameters of new enrolments (SHA1, 6 digits, 30 s, ±1 step: what apps support).
    public var totp: TOTPParameters = .standard
    /// The issuer shown by authenticator apps (`--issuer`).
    public var issuer: String = "mfad"

    /// Creates a configuration; every default is the spec's.
    public init(
        lockout: LockoutPolicy = LockoutPolicy(),
        passwordThrottle: PasswordThrottle = PasswordThrottle(),
        resendThrottle: ResendThrottle = ResendThrottle(),
        emailCode: EmailCode = EmailCode(),
        emailCodeValiditySeconds: Int64 = 20 * Durations.minute,
        sessionLifetimeSeconds: Int64 = 12 * Durations.hour,
        trustedDeviceLifetimeSeconds: Int64 = 90 * Durations.day,
        maxTrustedDevices: Int = 20,
        totpEnrollmentLifetimeSeconds: Int64 = 15 * Durations.minute,
        invitationLifetimeSeconds: Int64 = 7 * Durations.day,
        recoveryCodeCount: Int = 10,
        emailFallbackAllowed: Bool = false,
        passwordPolicy: PasswordPolicy = PasswordPolicy(),
        passwordHashing: Argon2idHasher.Parameters = Argon2idHasher.Parameters()
    ) {
        self.lockout = lockout
        self.passwordThrottle = passwordThrottle
        self.resendThrottle = resendThrottle
        self.emailCode = emailCode
        self.emailCodeValiditySeconds = emailCodeValiditySeconds
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.trustedDeviceLifetimeSeconds = trustedDeviceLifetimeSeconds
        self.maxTrustedDevices = maxTrustedDevices
        self.totpEnrollmentLifetimeSeconds = totpEnrollmentLifetimeSeconds
        self.invitationLifetimeSeconds = invitationLifetimeSeconds
        self.recoveryCodeCount = recoveryCodeCount
        self.emailFallbackAllowed = emailFallbackAllowed
        self.passwordPolicy = passwordPolicy
        self.passwordHashing = passwordHashing
    }

    /// Checks that every value makes sense (counts and durations at least 1 where 0 would
    /// disable a protection or every login).
    /// - Throws: ``ConfigurationError`` naming the first bad setting.
    public func validate() throws(ConfigurationError) {
        func atLeast<T: BinaryInteger>(_ value: T, _ minimum: T, _ name: String) throws(ConfigurationError) {
            guard value >= minimum else { throw ConfigurationError(setting: name, problem: "must be at least \(minimum), got \(value)") }
        }
        try atLeast(lockout.maxAttempts, 1, "lockout.maxAttempts")
        try atLeast(lockout.lockSeconds, 1, "lockout.lockSeconds")
        try atLeast(lockout.locksBeforeEscalation, 1, "lockout.locksBeforeEscalation")
        try atLeast(lockout.escalationWindowSeconds, 1, "lockout.escalationWindowSeconds")
        try atLeast(passwordThrottle.maxFailures, 1, "passwordThrottle.maxFailures")
        try atLeast(passwordThrottle.windowSeconds, 1, "passwordThrottle.windowSeconds")
        try atLeast(passwordThrottle.lockSeconds, 1, "passwordThrottle.lockSeconds")
        try atLeast(resendThrottle.minIntervalSeconds, 0, "resendThrottle.minIntervalSeconds")
        try atLeast(resendThrottle.maxResendsPerChallenge, 0, "resendThrottle.maxResendsPerChallenge")
        try atLeast(emailCodeValiditySeconds, 1, "emailCodeValiditySeconds")
        try atLeast(sessionLifetimeSeconds, 1, "sessionLifetimeSeconds")
        try atLeast(trustedDeviceLifetimeSeconds, 1, "trustedDeviceLifetimeSeconds")
        try atLeast(maxTrustedDevices, 1, "maxTrustedDevices")
        try atLeast(totpEnrollmentLifetimeSeconds, 1, "totpEnrollmentLifetimeSeconds")
        try atLeast(invitationLifetimeSeconds, 1, "invitationLifetimeSeconds")
        try atLeast(recoveryCodeCount, 1, "recoveryCodeCount")
        try atLeast(passwordPolicy.minimumLength, 8, "passwordPolicy.minimumLength")
        try atLeast(passwordPolicy.maximumLength, passwordPolicy.minimumLength, "passwordPolicy.maximumLength")
        do {
            try passwordHashing.validate()
        } catch {
            throw ConfigurationError(setting: "passwordHashing", problem: error.description)
        }
    }
}

/// A configuration value that cannot work, with the setting's name.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The setting, e.g. `lockout.maxAttempts`.
    public let setting: String
    /// What is wrong and what is expected.
    public let problem: String

    /// Creates an error.
    /// - Parameters:
    ///   - setting: The setting's name.
    ///   - problem: What is wrong.
    public init(setting: String, problem: String) {
        self.setting = setting
        self.problem = problem
    }

    public var description: String { "invalid configuration \(setting): \(problem)" }
}
