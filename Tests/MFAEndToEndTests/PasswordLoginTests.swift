import MFAClient
import MFAWire
import Testing

/// SPEC 2 Login: wrong passwords and unknown emails look the same, and both are throttled on a
/// counter of their own (10 failures in 15 min lock password logins for 15 min).
@Suite(.serialized) struct PasswordLoginTests {
    @Test func wrongPasswordAndUnknownEmailGetTheSameAnswer() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let wrongPassword = await expectError(.invalidCredentials) {
                try await mfad.login(account, password: "not the password")
            }
            let unknownEmail = await expectError(.invalidCredentials) {
                try await mfad.client.login(LoginRequest(email: "nobody@example.com", password: defaultPassword))
            }
            #expect(wrongPassword != nil)
            #expect(wrongPassword == unknownEmail)
            #expect(wrongPassword?.message.isEmpty == false)
        }
    }

    @Test func tenWrongPasswordsBlockTheEleventhLoginEvenWithTheRightPassword() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let refused = try await tenWrongPasswordsThenRefused(mfad, email: account.email, rightPassword: account.password)

            try await mfad.advanceClock(900)  // the password lock lifts after 15 minutes
            let login = try await mfad.login(account)
            #expect(!login.sessionToken.isEmpty)
            #expect(refused?.message.isEmpty == false)
        }
    }

    @Test func unknownEmailIsThrottledTheSameWay() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let known = try await tenWrongPasswordsThenRefused(mfad, email: account.email, rightPassword: account.password)
            let unknown = try await tenWrongPasswordsThenRefused(mfad, email: "nobody@example.com", rightPassword: defaultPassword)
            #expect(known != nil)
            #expect(known == unknown)  // no account enumeration through the throttle either
        }
    }

    @Test func wrongPasswordsDoNotTouchTheWrongCodeCounter() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            for _ in 0..<5 {
                await expectError(.invalidCredentials) { try await mfad.login(account, password: "not the password") }
            }
            let challenge = try await mfad.loginForCode(account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(challenge) }
        }
    }

    /// Ten wrong passwords for `email`, then the right one: refused with `RATE_LIMITED` and 15 min to wait.
    /// - Returns: the refusal.
    private func tenWrongPasswordsThenRefused(
        _ mfad: TestMfad, email: String, rightPassword: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> MFAClientError? {
        for attempt in 1...10 {
            do throws(MFAClientError) {
                _ = try await mfad.client.login(LoginRequest(email: email, password: "wrong password \(attempt)"))
                Issue.record("wrong password \(attempt) was accepted", sourceLocation: sourceLocation)
            } catch {
                // The 10th failure may already answer RATE_LIMITED (it is the one that locks); before it, never.
                let allowed: [ErrorCode] = attempt < 10 ? [.invalidCredentials] : [.invalidCredentials, .rateLimited]
                #expect(error.code.map(allowed.contains) == true, "attempt \(attempt): \(error)", sourceLocation: sourceLocation)
            }
        }
        return await expectError(.rateLimited, retryAfter: 900, sourceLocation: sourceLocation) {
            try await mfad.client.login(LoginRequest(email: email, password: rightPassword))
        }
    }
}
