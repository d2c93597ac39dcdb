import MFAClient
import MFAWire
import Testing

/// SPEC 2.3: wrong codes, the 5-minute lock and the exact messages, through the real `mfad`.
@Suite(.serialized) struct WrongCodeLockoutTests {
    @Test func firstWrongCodeSaysInvalidWithTwoAttemptsLeft() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            await expectError(.invalidCode, "This code is invalid, please try again.", attemptsRemaining: 2, retryAfter: 0) {
                try await mfad.verifyWrong(challenge)
            }
        }
    }

    @Test func secondWrongCodeWarnsOfTheLockWithOneAttemptLeft() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(challenge) }
            await expectError(.invalidCode, "Invalid code, your account will be locked after 3 incorrect attempts.",
                              attemptsRemaining: 1, retryAfter: 0) {
                try await mfad.verifyWrong(challenge)
            }
        }
    }

    @Test func thirdWrongCodeLocksForFiveMinutes() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(challenge) }
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verifyWrong(challenge) }
            await expectError(.locked, "You've reached the maximum amount of attempts. Please try again in 5 min.",
                              attemptsRemaining: 0, retryAfter: 300) {
                try await mfad.verifyWrong(challenge)
            }
        }
    }

    @Test func whileLockedWrongAndCorrectCodesGetTheSameAnswerCountingDown() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            await mfad.lock(challenge)

            let wrong = await expectLocked(retryAfter: 300) { try await mfad.verifyWrong(challenge) }
            let correct = await expectLocked(retryAfter: 300) { try await mfad.verifyCorrect(challenge) }
            #expect(wrong == correct)  // no oracle: the correct code is indistinguishable

            try await mfad.advanceClock(100)
            let wrongLater = await expectLocked(retryAfter: 200) { try await mfad.verifyWrong(challenge) }
            let correctLater = await expectLocked(retryAfter: 200) { try await mfad.verifyCorrect(challenge) }
            #expect(wrongLater == correctLater)
        }
    }

    @Test func correctCodeWorksAtExactlyTheEndOfTheLock() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            await mfad.lock(challenge)
            try await mfad.advanceClock(100)
            await expectLocked(retryAfter: 200) { try await mfad.verifyCorrect(challenge) }
            try await mfad.advanceClock(199)
            await expectLocked(retryAfter: 1) { try await mfad.verifyCorrect(challenge) }

            try await mfad.advanceClock(1)  // locked at +0, now +300: the lock has lifted; the code (20 min) is still valid
            let verified = try await mfad.verifyCorrect(challenge)
            #expect(try await mfad.validate(verified.sessionToken).accountID == account.id)
        }
    }

    @Test func codeExpiredAfterTwentyMinutes() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            try await mfad.advanceClock(20 * 60)
            await expectError(.codeExpired, "This code is not valid anymore. Get a new one via email.") {
                try await mfad.verifyCorrect(challenge)
            }
        }
    }

    @Test func newLoginDoesNotResetTheWrongCodeCounter() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let first = try await mfad.loginForCode(account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(first) }

            let second = try await mfad.loginForCode(account)
            #expect(second.id != first.id)
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verifyWrong(second) }

            let third = try await mfad.loginForCode(account)
            await expectLocked(retryAfter: 300) { try await mfad.verifyWrong(third) }
        }
    }

    @Test func correctCodeResetsTheWrongCodeCounter() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let first = try await mfad.loginForCode(account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(first) }
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verifyWrong(first) }
            _ = try await mfad.verifyCorrect(first)

            let second = try await mfad.loginForCode(account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(second) }
        }
    }

    @Test func loginWhileLockedAnswersLockedInsteadOfSendingACode() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            await mfad.lock(try await mfad.loginForCode(account))
            let emailsBefore = try await mfad.emails(to: account.email).count
            try await mfad.advanceClock(60)

            await expectLocked(retryAfter: 240) { try await mfad.login(account) }
            #expect(try await mfad.emails(to: account.email).count == emailsBefore)
        }
    }
}
