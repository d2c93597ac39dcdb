import MFACore
import MFAStorageTestSupport
import Testing

@Suite struct LoginAndCodeTests {
    @Test(arguments: StorageEngine.allCases) func noCodeBeforeEnforcementAndACodeAfter(engine: StorageEngine) async throws {
        try await ServiceHarness.with(engine) { harness in
            try await harness.createAccount()
            let first = try await harness.service.login(LoginAttempt(email: "Ada@Example.com ", password: "correct horse"))
            guard case .session(let session, let reminder) = first else {
                Issue.record("expected a session before enforcement, got \(first)")
                return
            }
            #expect(!reminder)
            #expect(try await harness.service.validateSession(token: session.token).email == "ada@example.com")
            try await harness.enforceNow()
            let second = try await harness.service.login(LoginAttempt(email: "ada@example.com", password: "correct horse"))
            guard case .challenge(let challenge) = second else {
                Issue.record("expected a challenge after enforcement, got \(second)")
                return
            }
            #expect(challenge.methods == [.email])
            #expect(challenge.reason == .mfaEnforced)
        }
    }

    @Test(arguments: StorageEngine.allCases) func theEmailedCodeCompletesTheChallengeOnce(engine: StorageEngine) async throws {
        try await ServiceHarness.with(engine) { harness in
            try await harness.createAccount()
            try await harness.enforceNow()
            let challengeID = try await harness.challenge()
            let email = try await harness.latestEmail()
            #expect(email.code.count == 6)
            #expect(email.body.contains(email.code))
            #expect(email.state == .held)
            let spaced = email.code.lowercased().map(String.init).joined(separator: " ")
            let session = try await harness.service.verifyMfa(challengeID: challengeID, code: spaced)
            #expect(try await harness.service.validateSession(token: session.token).email == "ada@example.com")
            let again = await failure { try await harness.service.verifyMfa(challengeID: challengeID, code: email.code) }
            #expect(again?.code == .codeExpired)
            #expect(again?.message == "This code is not valid anymore. Get a new one via email.")
        }
    }

    @Test(arguments: StorageEngine.allCases) func wrongCodesFollowTheSpecTable(engine: StorageEngine) async throws {
        try await ServiceHarness.with(engine) { harness in
            try await harness.createAccount()
            try await harness.enforceNow()
            let challengeID = try await harness.challenge()
            let code = try await harness.latestEmail().code
            let wrong = code == "AAAAAA" ? "BBBBBB" : "AAAAAA"
            let first = await failure { try await harness.service.verifyMfa(challengeID: challengeID, code: wrong) }
            #expect(first == MFAError(.invalidCode, "This code is invalid, please try again.", attemptsRemaining: 2))
            let second = await failure { try await harness.service.verifyMfa(challengeID: challengeID, code: wrong) }
            #expect(second == MFAError(.invalidCode, "Invalid code, your account will be locked after 3 incorrect attempts.", attemptsRemaining: 1))
            let third = await failure { try await harness.service.verifyMfa(challengeID: challengeID, code: wrong) }
            #expect(third == MFAError(.locked, "You've reached the maximum amount of attempts. Please try again in 5 min.", retryAfterSeconds: 300))
            try await harness.advance(100)
            let correctWhileLocked = await failure { try await harness.service.verifyMfa(challengeID: challengeID, code: code) }
            #expect(correctWhileLocked == MFAError(.locked, "You've reached the maximum amount of attempts. Please try again in 5 min.", retryAfterSeconds: 200))
            try await harness.advance(200)
            _ = try await harness.service.verifyMfa(challengeID: challengeID, code: code)
        }
    }

    @Test(arguments: StorageEngine.allCases) func resendReplacesTheCodeAndIsThrottled(engine: StorageEngine) async throws {
        try await ServiceHarness.with(engine) { harness in
            try await harness.createAccount()
            try await harness.enforceNow()
            let challengeID = try await harness.challenge()
            let old = try await harness.latestEmail()
            let tooSoon = await failure { try await harness.service.resendCode(challengeID: challengeID) }
            #expect(tooSoon?.code == .rateLimited)
            #expect(tooSoon?.retryAfterSeconds == 60)
            try await harness.advance(60)
            let outcome = try await harness.service.resendCode(challengeID: challengeID)
            #expect(outcome.resendsRemaining == 4)
            let new = try await harness.latestEmail()
            #expect(new.code != old.code || new.linkToken != old.linkToken)
            #expect(await failure { try await harness.service.verifyMfa(challengeID: challengeID, code: old.code) }?.code == .codeExpired)
            #expect(await failure { try await harness.service.verifyLink(token: old.linkToken) }?.code == .codeExpired)
            _ = try await harness.service.verifyLink(token: new.linkToken)
        }
    }

    @Test(arguments: StorageEngine.allCases) func codeExpiresAtTwentyMinutes(engine: StorageEngine) async throws {
        try await ServiceHarness.with(engine) { harness in
            try await harness.createAccount()
            try await harness.enforceNow()
            let late = try await harness.challenge()
            let lateCode = try await harness.latestEmail().code
            try await harness.advance(1200)
            #expect(await failure { try await harness.service.verifyMfa(challengeID: late, code: lateCode) }?.code == .codeExpired)
            let onTime = try await harness.challenge()
            let onTimeCode = try await harness.latestEmail().code
            try await harness.advance(1199)
            _ = try await harness.service.verifyMfa(challengeID: onTime, code: onTimeCode)
        }
    }

    @Test(arguments: StorageEngine.allCases) func unknownEmailAndWrongPasswordAnswerAlikeAndAreThrottled(engine: StorageEngine) async throws {
        try await ServiceHarness.with(engine) { harness in
            try await harness.createAccount()
            let wrongPassword = await failure { try await harness.service.login(LoginAttempt(email: "ada@example.com", password: "wrong password")) }
            let unknown = await failure { try await harness.service.login(LoginAttempt(email: "nobody@example.com", password: "wrong password")) }
            #expect(wrongPassword == .invalidCredentials)
            #expect(unknown == .invalidCredentials)
            for _ in 0..<9 {
                _ = await failure { try await harness.service.login(LoginAttempt(email: "nobody@example.com", password: "x2345678")) }
            }
            let throttled = await failure { try await harness.service.login(LoginAttempt(email: "nobody@example.com", password: "x2345678")) }
            #expect(throttled?.code == .rateLimited)
            #expect(throttled?.retryAfterSeconds == 900)
        }
    }

    @Test(arguments: StorageEngine.allCases) func escalationNeedsSupport(engine: StorageEngine) async throws {
        try await ServiceHarness.with(engine) { harness in
            let accountID = try await harness.createAccount()
            try await harness.enforceNow()
            var last: MFAError?
            for round in 0..<3 {
                let challengeID = try await harness.challenge()
                for _ in 0..<3 {
                    last = await failure { try await harness.service.verifyMfa(challengeID: challengeID, code: "ZZZZZZ") }
                }
                if round < 2 { try await harness.advance(300) }
            }
            #expect(last == MFAError(.locked, "You've reached the maximum amount of attempts. Your account is locked, please contact support."))
            try await harness.advance(86_400)
            let stillLocked = await failure { try await harness.service.login(LoginAttempt(email: "ada@example.com", password: "correct horse")) }
            #expect(stillLocked?.code == .locked)
            try await harness.service.unlockAccount(accountID: accountID)
            let challengeID = try await harness.challenge()
            _ = try await harness.service.verifyMfa(challengeID: challengeID, code: try await harness.latestEmail().code)
            let kinds = try await harness.service.auditEvents(accountID: accountID, since: .testModeStart, limit: 0).map(\.kind)
            #expect(kinds.filter { $0 == .locked }.count == 3)
            #expect(kinds.contains(.unlocked))
        }
    }

    @Test(arguments: StorageEngine.allCases) func validationNamesTheField(engine: StorageEngine) async throws {
        try await ServiceHarness.with(engine) { harness in
            let cases: [(NewAccount, String)] = [
                (NewAccount(email: "not-an-email", password: "correct horse", phone: "+41791234567", plan: "pro", workspace: "acme"), "email"),
                (NewAccount(email: "a@example.com", password: "short", phone: "+41791234567", plan: "pro", workspace: "acme"), "password"),
                (NewAccount(email: "a@example.com", password: "correct horse", phone: "12", plan: "pro", workspace: "acme"), "phone"),
                (NewAccount(email: "a@example.com", password: "correct horse", phone: "+41791234567", plan: "Pro!", workspace: "acme"), "plan"),
            ]
            for (input, field) in cases {
                let error = await failure { try await harness.service.createAccount(input) }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message.hasPrefix(field) == true, "\(error?.message ?? "no error")")
            }
            try await harness.createAccount()
            #expect(await failure { try await harness.createAccount() }?.code == .alreadyExists)
        }
    }
}
