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
}
