import MFAClient
import MFAWire
import Testing

/// SPEC 2.3 escalation: the third lock within 24 hours lasts until support unlocks the account.
@Suite(.serialized) struct LockEscalationTests {
    @Test func thirdLockWithinADayNeedsSupportAndUnlockLiftsIt() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)  // valid 20 min: long enough for all three locks
            await mfad.lock(challenge)
            try await mfad.advanceClock(300)
            await mfad.lock(challenge)
            try await mfad.advanceClock(300)
            await mfad.twoWrongCodes(challenge)
            await expectError(.locked, "You've reached the maximum amount of attempts. Your account is locked, please contact support.",
                              attemptsRemaining: 0, retryAfter: 0) {
                try await mfad.verifyWrong(challenge)
            }

            try await mfad.advanceClock(3600)
            await expectLockedUntilSupport { try await mfad.verifyWrong(challenge) }
            await expectLockedUntilSupport { try await mfad.verifyCorrect(challenge) }
            await expectLockedUntilSupport { try await mfad.login(account) }

            _ = try await mfad.client.unlockAccount(UnlockAccountRequest(accountID: account.id))
            let fresh = try await mfad.loginForCode(account)  // the first code expired meanwhile
            let verified = try await mfad.verifyCorrect(fresh)
            #expect(try await mfad.validate(verified.sessionToken).accountID == account.id)
        }
    }

    @Test func unlockResetsTheWrongCodeCounter() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            await mfad.twoWrongCodes(challenge)
            _ = try await mfad.client.unlockAccount(UnlockAccountRequest(accountID: account.id))
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(challenge) }
        }
    }

    @Test func threeLocksSpreadOverMoreThanADayDoNotEscalate() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            await mfad.lock(try await mfad.loginForCode(account))  // first lock at +0
            try await mfad.advanceClock(12 * 3600)
            await mfad.lock(try await mfad.loginForCode(account))  // second at +12 h
            try await mfad.advanceClock(12 * 3600 + 1)

            let third = try await mfad.loginForCode(account)  // +24 h 1 s: the first lock is out of the window
            await mfad.lock(third)
            await expectLocked(retryAfter: 300) { try await mfad.verifyCorrect(third) }

            try await mfad.advanceClock(300)
            let verified = try await mfad.verifyCorrect(third)
            #expect(try await mfad.validate(verified.sessionToken).accountID == account.id)
        }
    }
}
