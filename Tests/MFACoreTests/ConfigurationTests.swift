import MFACrypto
import Testing
@testable import MFACore

@Suite("Configuration")
struct ConfigurationTests {
    @Test func defaultsAreTheSpecs() throws {
        let config = MFAConfiguration()
        #expect(config.lockout == LockoutPolicy(maxAttempts: 3, lockSeconds: 300, locksBeforeEscalation: 3, escalationWindowSeconds: 86_400))
        #expect(config.passwordThrottle == PasswordThrottle(maxFailures: 10, windowSeconds: 900, lockSeconds: 900))
        #expect(config.resendThrottle == ResendThrottle(minIntervalSeconds: 60, maxResendsPerChallenge: 5))
        #expect(config.emailCode.length == 6)
        #expect(config.emailCodeValiditySeconds == 1_200)
        #expect(config.sessionLifetimeSeconds == 43_200)
        #expect(config.trustedDeviceLifetimeSeconds == 7_776_000)
        #expect(config.maxTrustedDevices == 20)
        #expect(config.totpEnrollmentLifetimeSeconds == 900)
        #expect(config.invitationLifetimeSeconds == 604_800)
        #expect(config.recoveryCodeCount == 10)
        #expect(config.emailFallbackAllowed == false)
        #expect(config.passwordPolicy == PasswordPolicy(minimumLength: 8, maximumLength: 256))
        #expect(config.passwordHashing == Argon2idHasher.Parameters(memoryKiB: 19_456, iterations: 2, parallelism: 1, saltLength: 16, hashLength: 32))
        try config.validate()
    }

    @Test func validateNamesTheBadSetting() {
        var config = MFAConfiguration()
        config.lockout.maxAttempts = 0
        #expect(throws: ConfigurationError(setting: "lockout.maxAttempts", problem: "must be at least 1, got 0")) {
            try config.validate()
        }
        config = MFAConfiguration()
        config.passwordPolicy.minimumLength = 6
        #expect(throws: ConfigurationError(setting: "passwordPolicy.minimumLength", problem: "must be at least 8, got 6")) {
            try config.validate()
        }
        config = MFAConfiguration()
        config.passwordHashing.saltLength = 4
        #expect(throws: ConfigurationError.self) { try config.validate() }
    }

    @Test func anEscalationWindowNoLongerThanTheLockIsRefused() throws {
        var config = MFAConfiguration()
        config.lockout.lockSeconds = 600
        config.lockout.escalationWindowSeconds = 600
        #expect(throws: ConfigurationError(
            setting: "lockout.escalationWindowSeconds",
            problem: "must be longer than the lock (600 s), got 600 s: no second lock could fall inside it, so locks would never escalate"
        )) {
            try config.validate()
        }
        config.lockout.escalationWindowSeconds = 601
        try config.validate()
    }

    @Test(arguments: [
        (\MFAConfiguration.lockout.lockSeconds, "lockout.lockSeconds"),
        (\MFAConfiguration.lockout.escalationWindowSeconds, "lockout.escalationWindowSeconds"),
        (\MFAConfiguration.sessionLifetimeSeconds, "sessionLifetimeSeconds"),
        (\MFAConfiguration.trustedDeviceLifetimeSeconds, "trustedDeviceLifetimeSeconds"),
        (\MFAConfiguration.passwordThrottle.lockSeconds, "passwordThrottle.lockSeconds"),
        (\MFAConfiguration.resendThrottle.minIntervalSeconds, "resendThrottle.minIntervalSeconds"),
    ] as [(WritableKeyPath<MFAConfiguration, Int64> & Sendable, String)])
    func aDurationBeyondSixtyEightYearsIsRefused(path: WritableKeyPath<MFAConfiguration, Int64> & Sendable, setting: String) throws {
        var config = MFAConfiguration()
        config.lockout.escalationWindowSeconds = MFAConfiguration.largestValue  // longer than the lock
        try config.validate()
        config[keyPath: path] = MFAConfiguration.largestValue + 1
        #expect(throws: ConfigurationError(setting: setting, problem: "must be at most 2147483647, got 2147483648")) {
            try config.validate()
        }
    }

    @Test(arguments: [
        (\MFAConfiguration.lockout.maxAttempts, "lockout.maxAttempts", 1),
        (\MFAConfiguration.lockout.locksBeforeEscalation, "lockout.locksBeforeEscalation", 1),
        (\MFAConfiguration.maxTrustedDevices, "maxTrustedDevices", 1),
        (\MFAConfiguration.passwordThrottle.maxFailures, "passwordThrottle.maxFailures", 1),
        (\MFAConfiguration.resendThrottle.maxResendsPerChallenge, "resendThrottle.maxResendsPerChallenge", 0),
    ] as [(WritableKeyPath<MFAConfiguration, Int> & Sendable, String, Int)])
    func aCountBelowItsMinimumIsRefused(path: WritableKeyPath<MFAConfiguration, Int> & Sendable, setting: String, minimum: Int) throws {
        var config = MFAConfiguration()
        config[keyPath: path] = minimum
        try config.validate()
        config[keyPath: path] = minimum - 1
        #expect(throws: ConfigurationError(setting: setting, problem: "must be at least \(minimum), got \(minimum - 1)")) {
            try config.validate()
        }
    }

    @Test func totpParametersRefuseOtherDigitsAndSkewBeyondTenSteps() throws {
        #expect(throws: ConfigurationError(setting: "totp.digits", problem: "must be 6 or 8, got 7")) {
            try TOTPParameters(digits: 7)
        }
        #expect(throws: ConfigurationError(setting: "totp.skewSteps", problem: "must be 0...10, got 11")) {
            try TOTPParameters(skewSteps: 11)
        }
        #expect(try TOTPParameters(algorithm: .sha512, digits: 8, skewSteps: 10).skewSteps == 10)
    }

    @Test func messagesFollowTheConfiguredNumbers() {
        let lockout = LockoutPolicy(maxAttempts: 4, lockSeconds: 600)
        #expect(lockout.message(for: .invalid(attemptsRemaining: 2)) == "This code is invalid, please try again.")
        #expect(lockout.message(for: .invalid(attemptsRemaining: 1))
            == "Invalid code, your account will be locked after 4 incorrect attempts.")
        #expect(lockout.message(for: .lockedNow(retryAfterSeconds: 600, untilSupport: false))
            == "You've reached the maximum amount of attempts. Please try again in 10 min.")
        #expect(lockout.message(for: .locked(retryAfterSeconds: 1, untilSupport: false))
            == "You've reached the maximum amount of attempts. Please try again in 10 min.")
        #expect(PasswordThrottle(lockSeconds: 90).lockedMessage == "Too many failed login attempts. Please try again in 2 min.")
        #expect(ResendThrottle(maxResendsPerChallenge: 2).message(for: .limitReached)
            == "You've asked for a new code 2 times for this login. Please start a new login to get a new code.")
    }
}
