import Foundation
import MFAClient
import MFAWire
import Testing

/// SPEC 6: what a response reported is durable, even when `mfad` is killed with SIGKILL right
/// after answering, and the security state survives a restart on the same database.
@Suite(.serialized) struct DurabilityTests {
    @Test func wrongCodeCounterSurvivesKillNine() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            await mfad.twoWrongCodes(challenge)
            try await mfad.restart(signal: SIGKILL)

            await expectLocked(retryAfter: 300) { try await mfad.verifyWrong(challenge) }
        }
    }

    @Test func lockSurvivesKillNineAndLiftsOnTime() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            await mfad.lock(challenge)
            try await mfad.restart(signal: SIGKILL)

            await expectLocked(retryAfter: 300) { try await mfad.verifyCorrect(challenge) }
            try await mfad.advanceClock(100)
            try await mfad.restart(signal: SIGKILL)
            await expectLocked(retryAfter: 200) { try await mfad.verifyCorrect(challenge) }

            try await mfad.advanceClock(200)
            let verified = try await mfad.verifyCorrect(challenge)
            #expect(try await mfad.validate(verified.sessionToken).accountID == account.id)
        }
    }

    @Test func usedCodeStaysUsedAfterKillNine() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            _ = try await mfad.verifyCorrect(challenge)
            try await mfad.restart(signal: SIGKILL)

            await expectCodeExpired { try await mfad.verifyCorrect(challenge) }
            await expectCodeExpired { try await mfad.verifyLink(challenge.linkToken) }
        }
    }

    @Test func sessionIssuedBeforeKillNineStillValidates() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            let session = try await mfad.verifyCorrect(challenge).sessionToken
            try await mfad.restart(signal: SIGKILL)

            let validated = try await mfad.validate(session)
            #expect(validated.accountID == account.id)
            #expect(validated.email == account.email)
        }
    }

    @Test func logoutSurvivesKillNine() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            let session = try await mfad.verifyCorrect(challenge).sessionToken
            _ = try await mfad.client.logout(LogoutRequest(sessionToken: session))
            try await mfad.restart(signal: SIGKILL)

            await expectError(.invalidSession) { try await mfad.validate(session) }
        }
    }

    @Test func testClockKeepsItsTimeAcrossRestarts() async throws {
        try await withMfad { mfad in
            #expect(try await mfad.advanceClock(1000) == testClockStart + 1000)
            try await mfad.restart(signal: SIGKILL)
            #expect(try await mfad.advanceClock(1) == testClockStart + 1001)
            try await mfad.restart(signal: SIGTERM)
            #expect(try await mfad.advanceClock(1) == testClockStart + 1002)
        }
    }

    @Test func codeExpiryUsesThePersistedClockAfterRestart() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            try await mfad.advanceClock(1199)
            try await mfad.restart(signal: SIGKILL)
            try await mfad.advanceClock(1)  // +1200 only if the restart did not take the clock back
            await expectCodeExpired { try await mfad.verifyCorrect(challenge) }
        }
    }

    @Test func newLoginAfterRestartGetsAFreshChallengeAndWorks() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let before = try await mfad.loginForCode(account)
            let firstSession = try await mfad.verifyCorrect(before).sessionToken
            try await mfad.restart(signal: SIGKILL)

            // The seeded random source starts again from the same seed: ids and tokens must still be new.
            let after = try await mfad.loginForCode(account)
            #expect(after.id != before.id)
            #expect(after.linkToken != before.linkToken)
            let secondSession = try await mfad.verifyCorrect(after).sessionToken
            #expect(secondSession != firstSession)
            #expect(try await mfad.validate(firstSession).accountID == account.id)
            #expect(try await mfad.validate(secondSession).accountID == account.id)
        }
    }
}
