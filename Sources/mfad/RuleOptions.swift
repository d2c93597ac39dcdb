import ArgumentParser
import MFACore
import MFACrypto
import MFAOperations

/// The options of `mfad serve` that set the MFA rules (SPEC 2-3): every number the spec calls
/// configurable, and the issuer. Each is a flag, an `MFAD_*` variable and a config-file key,
/// described once in ``settings`` (which also gives `--help` its text). ``configuration()``
/// resolves them into a checked ``MFAConfiguration``.
///
/// The grace period of mandatory enforcement is not here: it is part of the enforcement policy
/// that `SetEnforcementPolicy` sets and stores.
struct RuleOptions: ParsableArguments {
    @Option(help: RuleOptions.help("issuer")) var issuer: String?
    @Option(help: RuleOptions.help("lock-attempts")) var lockAttempts: Int?
    @Option(help: RuleOptions.help("lock-duration")) var lockDuration: Int64?
    @Option(help: RuleOptions.help("lock-escalation-count")) var lockEscalationCount: Int?
    @Option(help: RuleOptions.help("lock-escalation-window")) var lockEscalationWindow: Int64?
    @Option(help: RuleOptions.help("code-validity")) var codeValidity: Int64?
    @Option(help: RuleOptions.help("resend-interval")) var resendInterval: Int64?
    @Option(help: RuleOptions.help("resend-max")) var resendMax: Int?
    @Option(help: RuleOptions.help("totp-algorithm")) var totpAlgorithm: String?
    @Option(help: RuleOptions.help("totp-digits")) var totpDigits: Int?
    @Option(help: RuleOptions.help("totp-skew-steps")) var totpSkewSteps: Int?
    @Option(help: RuleOptions.help("totp-enrollment-lifetime")) var totpEnrollmentLifetime: Int64?
    @Flag(help: RuleOptions.help("email-fallback")) var emailFallback = false
    @Option(help: RuleOptions.help("trusted-device-lifetime")) var trustedDeviceLifetime: Int64?
    @Option(help: RuleOptions.help("trusted-device-max")) var trustedDeviceMax: Int?
    @Option(help: RuleOptions.help("password-max-failures")) var passwordMaxFailures: Int?
    @Option(help: RuleOptions.help("password-failure-window")) var passwordFailureWindow: Int64?
    @Option(help: RuleOptions.help("password-lock-duration")) var passwordLockDuration: Int64?
    @Option(help: RuleOptions.help("invitation-lifetime")) var invitationLifetime: Int64?
    @Option(help: RuleOptions.help("session-lifetime")) var sessionLifetime: Int64?

    /// One rule setting: its key, and the name ``MFAConfiguration/validate()`` (or
    /// ``TOTPParameters``) gives the value in a ``MFACore/ConfigurationError``.
    struct Rule: Sendable {
        let key: SettingKey
        let field: String
    }

    /// Every rule setting, in the order `--print-config` lists them.
    static let settings: [Rule] = {
        let rules = MFAConfiguration()
        let count: SettingKey.Kind = .integer(1...MFAConfiguration.largestValue)
        let seconds = count
        let zeroOrMore: SettingKey.Kind = .integer(0...MFAConfiguration.largestValue)
        func rule(_ name: String, _ kind: SettingKey.Kind, _ value: some CustomStringConvertible, _ field: String,
                  _ summary: String) -> Rule {
            Rule(key: SettingKey(name, kind, default: "\(value)", summary), field: field)
        }
        return [
            rule("issuer", .string, rules.issuer, "issuer", "issuer name shown by authenticator apps, 1 to 64 bytes"),
            rule("lock-attempts", count, rules.lockout.maxAttempts, "lockout.maxAttempts",
                 "consecutive wrong codes that lock the account's MFA"),
            rule("lock-duration", seconds, rules.lockout.lockSeconds, "lockout.lockSeconds",
                 "seconds a wrong-code lock lasts; the message shows minutes, rounded up"),
            rule("lock-escalation-count", count, rules.lockout.locksBeforeEscalation, "lockout.locksBeforeEscalation",
                 "the lock that is this many within lock-escalation-window lasts until support unlocks"),
            rule("lock-escalation-window", seconds, rules.lockout.escalationWindowSeconds, "lockout.escalationWindowSeconds",
                 "seconds in which locks are counted toward escalation; longer than lock-duration"),
            rule("code-validity", seconds, rules.emailCodeValiditySeconds, "emailCodeValiditySeconds",
                 "email code and link validity in seconds"),
            rule("resend-interval", zeroOrMore, rules.resendThrottle.minIntervalSeconds, "resendThrottle.minIntervalSeconds",
                 "seconds between two emails of one challenge"),
            rule("resend-max", zeroOrMore, rules.resendThrottle.maxResendsPerChallenge, "resendThrottle.maxResendsPerChallenge",
                 "resends allowed per challenge"),
            rule("totp-algorithm", .choice(["sha1", "sha256", "sha512"]), "sha1", "totp.algorithm",
                 "HMAC of new TOTP enrolments; most apps ignore anything but sha1"),
            rule("totp-digits", .integer(6...8), rules.totp.digits, "totp.digits", "digits of new TOTP enrolments: 6 or 8"),
            rule("totp-skew-steps", .integer(Int64(TOTPParameters.allowedSkewSteps.lowerBound)...Int64(TOTPParameters.allowedSkewSteps.upperBound)),
                 rules.totp.skewSteps, "totp.skewSteps", "30 s steps of clock skew accepted either side of now"),
            rule("totp-enrollment-lifetime", seconds, rules.totpEnrollmentLifetimeSeconds, "totpEnrollmentLifetimeSeconds",
                 "seconds an unconfirmed TOTP enrolment lasts"),
            rule("email-fallback", .boolean, rules.emailFallbackAllowed, "emailFallbackAllowed",
                 "accounts with TOTP may also log in with an email code"),
            rule("trusted-device-lifetime", seconds, rules.trustedDeviceLifetimeSeconds, "trustedDeviceLifetimeSeconds",
                 "trusted-device token validity in seconds"),
            rule("trusted-device-max", count, rules.maxTrustedDevices, "maxTrustedDevices",
                 "trusted devices per account; trusting one more drops the least recently used"),
            rule("password-max-failures", count, rules.passwordThrottle.maxFailures, "passwordThrottle.maxFailures",
                 "wrong passwords within password-failure-window that lock password logins"),
            rule("password-failure-window", seconds, rules.passwordThrottle.windowSeconds, "passwordThrottle.windowSeconds",
                 "seconds in which wrong passwords are counted"),
            rule("password-lock-duration", seconds, rules.passwordThrottle.lockSeconds, "passwordThrottle.lockSeconds",
                 "seconds password logins stay locked"),
            rule("invitation-lifetime", seconds, rules.invitationLifetimeSeconds, "invitationLifetimeSeconds",
                 "invitation link validity in seconds"),
            rule("session-lifetime", seconds, rules.sessionLifetimeSeconds, "sessionLifetimeSeconds", "session lifetime in seconds"),
        ]
    }()

    /// The `--help` text of the setting `name`: its summary, variable and default.
    static func help(_ name: String) -> ArgumentHelp {
        guard let key = settings.first(where: { $0.key.name == name })?.key else {
            preconditionFailure("RuleOptions.settings has no key \(name)")
        }
        return ArgumentHelp("\(key.summary.prefix(1).uppercased() + key.summary.dropFirst()) (env \(key.environmentName)). "
            + "Default \(key.defaultValue ?? "unset").")
    }

    /// The rules in force: each option's flag, else its `MFAD_*` variable or config-file key,
    /// else the spec's default; then checked as a whole.
    /// - Returns: the checked configuration.
    /// - Throws: ArgumentParser's `ValidationError` naming the setting's key (e.g. `lock-escalation-window`) and
    ///   what is wrong, or `SettingError` for a variable that does not parse.
    func configuration() throws -> MFAConfiguration {
        var rules = MFAConfiguration()
        try resolve(&rules.issuer, issuer, "issuer")
        guard !rules.issuer.isEmpty, rules.issuer.utf8.count <= 64 else { throw invalid("issuer", "must be 1 to 64 bytes") }
        try resolve(&rules.lockout.maxAttempts, lockAttempts, "lock-attempts")
        try resolve(&rules.lockout.lockSeconds, lockDuration, "lock-duration")
        try resolve(&rules.lockout.locksBeforeEscalation, lockEscalationCount, "lock-escalation-count")
        try resolve(&rules.lockout.escalationWindowSeconds, lockEscalationWindow, "lock-escalation-window")
        try resolve(&rules.emailCodeValiditySeconds, codeValidity, "code-validity")
        try resolve(&rules.resendThrottle.minIntervalSeconds, resendInterval, "resend-interval")
        try resolve(&rules.resendThrottle.maxResendsPerChallenge, resendMax, "resend-max")
        try resolve(&rules.totpEnrollmentLifetimeSeconds, totpEnrollmentLifetime, "totp-enrollment-lifetime")
        rules.emailFallbackAllowed = Setting.resolve(emailFallback, env: SettingKey.environmentName(for: "email-fallback"))
        try resolve(&rules.trustedDeviceLifetimeSeconds, trustedDeviceLifetime, "trusted-device-lifetime")
        try resolve(&rules.maxTrustedDevices, trustedDeviceMax, "trusted-device-max")
        try resolve(&rules.passwordThrottle.maxFailures, passwordMaxFailures, "password-max-failures")
        try resolve(&rules.passwordThrottle.windowSeconds, passwordFailureWindow, "password-failure-window")
        try resolve(&rules.passwordThrottle.lockSeconds, passwordLockDuration, "password-lock-duration")
        try resolve(&rules.invitationLifetimeSeconds, invitationLifetime, "invitation-lifetime")
        try resolve(&rules.sessionLifetimeSeconds, sessionLifetime, "session-lifetime")

        var algorithmName = "sha1", digits = rules.totp.digits, skewSteps = rules.totp.skewSteps
        try resolve(&algorithmName, totpAlgorithm, "totp-algorithm")
        try resolve(&digits, totpDigits, "totp-digits")
        try resolve(&skewSteps, totpSkewSteps, "totp-skew-steps")
        guard algorithmName == algorithmName.lowercased(), let algorithm = HashAlgorithm(rawValue: algorithmName.uppercased()) else {
            throw invalid("totp-algorithm", "must be one of sha1, sha256, sha512, got '\(algorithmName)'")
        }
        do throws(MFACore.ConfigurationError) {
            rules.totp = try TOTPParameters(algorithm: algorithm, digits: digits, period: TOTPParameters.standard.period,
                                            skewSteps: skewSteps)
            try rules.validate()
        } catch {
            throw invalid(Self.settings.first { $0.field == error.setting }?.key.name ?? error.setting, error.problem)
        }
        return rules
    }

    /// `value` becomes the flag's value, else the variable's or file's, else stays as it is.
    private func resolve<T: LosslessStringConvertible>(_ value: inout T, _ flag: T?, _ name: String) throws {
        value = try Setting.resolve(flag, env: SettingKey.environmentName(for: name), default: value)
    }

    private func invalid(_ key: String, _ problem: String) -> ArgumentParser.ValidationError {
        ArgumentParser.ValidationError("invalid configuration \(key): \(problem)")
    }
}
