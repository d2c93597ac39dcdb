import MFAStorageTestSupport
import MFACore
import Testing

@Suite("Contract: accounts, throttle, policy, settings")
struct AccountContractTests {
    @Test(arguments: Engine.allCases)
    func accountsRoundTripAndUpdates(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let account = Fixtures.account()
            try await storage.write { try await $0.insertAccount(account) }
            let (byID, byEmail, missing) = try await storage.read { tx in
                (try await tx.account(id: "acct-1"), try await tx.account(email: "acct-1@example.com"), try await tx.account(id: "nobody"))
            }
            #expect(byID == account)
            #expect(byEmail == account)
            #expect(missing == nil)

            let attempts = AttemptState(consecutiveFailures: 3, lockedUntil: Fixtures.at(900),
                                        recentLocks: [Fixtures.at(1), Fixtures.at(2)], lockedUntilSupport: true)
            try await storage.write { tx in
                try await tx.updateAttempts(accountID: "acct-1", attempts)
                try await tx.updateGraceLoginsUsed(accountID: "acct-1", 2)
                try await tx.updatePassword(accountID: "acct-1", hash: "new-hash", changedAt: Fixtures.at(50))
                try await tx.setTOTPAuthenticator(Fixtures.totp())
                try await tx.markContactVerified(accountID: "acct-1", channel: .sms, at: Fixtures.at(60))
                // Already verified: the first time stays.
                try await tx.markContactVerified(accountID: "acct-1", channel: .email, at: Fixtures.at(70))
            }
            let updated = try #require(try await storage.read { try await $0.account(id: "acct-1") })
            #expect(updated.attempts == attempts)
            #expect(updated.graceLoginsUsed == 2)
            #expect(updated.passwordHash == "new-hash")
            #expect(updated.passwordChangedAt == Fixtures.at(50))
            #expect(updated.totpEnabled)
            #expect(updated.phoneVerifiedAt == Fixtures.at(60))
            #expect(updated.emailVerifiedAt == Fixtures.t0)

            try await storage.write { tx in
                try await tx.updateAttempts(accountID: "acct-1", AttemptState())
                try await tx.deleteTOTPAuthenticator(accountID: "acct-1")
            }
            let cleared = try #require(try await storage.read { try await $0.account(id: "acct-1") })
            #expect(cleared.attempts == AttemptState())
            #expect(!cleared.totpEnabled)
        }
    }

    @Test(arguments: Engine.allCases)
    func duplicateEmailIsRefused(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            try await storage.write { try await $0.insertAccount(Fixtures.account("a")) }
            await #expect(throws: (any Error).self) {
                try await storage.write { try await $0.insertAccount(Fixtures.account("b", email: "a@example.com")) }
            }
            #expect(try await storage.read { try await $0.account(id: "b") } == nil)
        }
    }

    @Test(arguments: Engine.allCases)
    func passwordThrottleUpsertsAndClears(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let key = Fixtures.bytes(1)
            #expect(try await storage.read { try await $0.passwordThrottle(key: key) } == PasswordThrottleState())
            let first = PasswordThrottleState(failureTimes: [Fixtures.at(1)], lockedUntil: nil)
            let second = PasswordThrottleState(failureTimes: [Fixtures.at(1), Fixtures.at(2)], lockedUntil: Fixtures.at(300))
            try await storage.write { try await $0.setPasswordThrottle(key: key, first) }
            #expect(try await storage.read { try await $0.passwordThrottle(key: key) } == first)
            try await storage.write { try await $0.setPasswordThrottle(key: key, second) }
            #expect(try await storage.read { try await $0.passwordThrottle(key: key) } == second)
            #expect(try await storage.read { try await $0.passwordThrottle(key: Fixtures.bytes(2)) } == PasswordThrottleState())
            try await storage.write { try await $0.setPasswordThrottle(key: key, PasswordThrottleState()) }
            #expect(try await storage.read { try await $0.passwordThrottle(key: key) } == PasswordThrottleState())
        }
    }

    @Test(arguments: Engine.allCases)
    func enforcementPolicyDefaultsAndReplaces(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let initial = try await storage.read { try await $0.enforcementPolicy() }
            #expect(initial.globalEnforceFrom == nil)
            #expect(initial.workspaceEnforceFrom.isEmpty)
            #expect(initial.exemptPlans == ["trial"])
            #expect(initial.graceLogins == 0)
            #expect(initial.graceDays == 0)

            var policy = initial
            policy.globalEnforceFrom = Fixtures.at(10)
            policy.workspaceEnforceFrom = ["ws-1": Fixtures.at(20), "ws-2": Fixtures.at(30)]
            policy.exemptPlans = ["trial", "free"]
            policy.graceLogins = 3
            policy.graceDays = 7
            try await storage.write { [policy] in try await $0.setEnforcementPolicy(policy) }
            #expect(try await storage.read { try await $0.enforcementPolicy() } == policy)

            var narrower = policy
            narrower.globalEnforceFrom = nil
            narrower.workspaceEnforceFrom = ["ws-3": Fixtures.at(40)]
            narrower.exemptPlans = []
            try await storage.write { [narrower] in try await $0.setEnforcementPolicy(narrower) }
            #expect(try await storage.read { try await $0.enforcementPolicy() } == narrower)
        }
    }

    @Test(arguments: Engine.allCases)
    func settingsUpsert(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            #expect(try await storage.read { try await $0.setting("test_clock") } == nil)
            try await storage.write { try await $0.setSetting("test_clock", "100") }
            try await storage.write { try await $0.setSetting("test_clock", "200") }
            #expect(try await storage.read { try await $0.setting("test_clock") } == "200")
            #expect(try await storage.read { try await $0.setting("grace_days") } == "0")
        }
    }
}
