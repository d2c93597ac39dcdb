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

    /// The largest count or number of seconds any setting takes (about 68 years): every
    /// value fits `retry_after_seconds` and `attempts_remaining` on the wire, and adding it to a
    /// date cannot overflow.
    public static let largestValue = Int64(Int32.max)

    /// Checks that every value makes sense: counts and durations at least 1 where 0 would
    /// disable a protection or every login, none beyond ``largestValue``, and the escalation
    /// window longer than the lock (else no second lock could ever fall inside it). The TOTP
    /// parameters are checked when they are made (``TOTPParameters/init(algorithm:digits:period:skewSteps:)``).
    /// - Throws: ``ConfigurationError`` naming the first bad setting.
    public func validate() throws(ConfigurationError) {
        func check<T: BinaryInteger>(_ value: T, atLeast minimum: T, _ name: String) throws(ConfigurationError) {
            guard value >= minimum else { throw ConfigurationError(setting: name, problem: "must be at least \(minimum), got \(value)") }
            guard Int64(clamping: value) <= Self.largestValue else {
                throw ConfigurationError(setting: name, problem: "must be at most \(Self.largestValue), got \(value)")
            }
        }
        try check(lockout.maxAttempts, atLeast: 1, "lockout.maxAttempts")
        try check(lockout.lockSeconds, atLeast: 1, "lockout.lockSeconds")
        try check(lockout.locksBeforeEscalation, atLeast: 1, "lockout.locksBeforeEscalation")
        try check(lockout.escalationWindowSeconds, atLeast: 1, "lockout.escalationWindowSeconds")
        guard lockout.escalationWindowSeconds > lockout.lockSeconds else {
            throw ConfigurationError(
                setting: "lockout.escalationWindowSeconds",
                problem: "must be longer than the lock (\(lockout.lockSeconds) s), got \(lockout.escalationWindowSeconds) s: "
                    + "no second lock could fall inside it, so locks would never escalate")
        }
        try check(passwordThrottle.maxFailures, atLeast: 1, "passwordThrottle.maxFailures")
        try check(passwordThrottle.windowSeconds, atLeast: 1, "passwordThrottle.windowSeconds")
        try check(passwordThrottle.lockSeconds, atLeast: 1, "passwordThrottle.lockSeconds")
        try check(resendThrottle.minIntervalSeconds, atLeast: 0, "resendThrottle.minIntervalSeconds")
        try check(resendThrottle.maxResendsPerChallenge, atLeast: 0, "resendThrottle.maxResendsPerChallenge")
        try check(emailCodeValiditySeconds, atLeast: 1, "emailCodeValiditySeconds")
        try check(sessionLifetimeSeconds, atLeast: 1, "sessionLifetimeSeconds")
        try check(trustedDeviceLifetimeSeconds, atLeast: 1, "trustedDeviceLifetimeSeconds")
        try check(maxTrustedDevices, atLeast: 1, "maxTrustedDevices")
        try check(totpEnrollmentLifetimeSeconds, atLeast: 1, "totpEnrollmentLifetimeSeconds")
        try check(invitationLifetimeSeconds, atLeast: 1, "invitationLifetimeSeconds")
        try check(recoveryCodeCount, atLeast: 1, "recoveryCodeCount")
        try check(passwordPolicy.minimumLength, atLeast: 8, "passwordPolicy.minimumLength")
        try check(passwordPolicy.maximumLength, atLeast: passwordPolicy.minimumLength, "passwordPolicy.maximumLength")
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
