import Foundation
import MFAClient
import MFAWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SPEC 2.2 and 2.3: TOTP logins with oathtool's codes: the skew window, replay protection
/// (also across `kill -9`), and wrong codes of every method counting toward one lock.
@Suite(.serialized) struct TOTPLoginTests {
    @Test func acceptedCodeIsRejectedTheSecondTimeAndCounted() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let code = try await mfad.nextTOTPCode(totp)
            let first = try await mfad.totpChallenge(totp.account)
            _ = try await mfad.verify(first.challengeID, code: code)

            let second = try await mfad.totpChallenge(totp.account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(second.challengeID, code: code) }
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verify(second.challengeID, code: code) }
        }
    }

    @Test func acceptedCodeStaysUsedAfterKillNine() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let code = try await mfad.nextTOTPCode(totp)
            let first = try await mfad.totpChallenge(totp.account)
            _ = try await mfad.verify(first.challengeID, code: code)
            try await mfad.restart(signal: SIGKILL)

            let second = try await mfad.totpChallenge(totp.account)  // same time step: the clock persisted
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(second.challengeID, code: code) }
            try await mfad.restart(signal: SIGKILL)
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verify(second.challengeID, code: code) }
        }
    }

    @Test func codesOneStepOldAndOneStepNewAreAccepted() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let totp = try await mfad.enrollTOTP(account)
            let now = try await mfad.advanceClock(300)  // well past the confirmation's step

            let old = try await mfad.totpChallenge(account)
            let oldSession = try await mfad.verify(old.challengeID, code: try OathTool.code(secret: totp.secret, at: now - 30))
            #expect(try await mfad.validate(oldSession.sessionToken).accountID == account.id)

            let new = try await mfad.totpChallenge(account)
            let newSession = try await mfad.verify(new.challengeID, code: try OathTool.code(secret: totp.secret, at: now + 30))
            #expect(try await mfad.validate(newSession.sessionToken).accountID == account.id)
        }
    }

    @Test func codesTwoStepsAwayAreRejected() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let totp = try await mfad.enrollTOTP(account)
            let now = try await mfad.advanceClock(300)
            let challenge = try await mfad.totpChallenge(account)

            await expectInvalidCode(attemptsRemaining: 2) {
                try await mfad.verify(challenge.challengeID, code: try OathTool.code(secret: totp.secret, at: now - 60))
            }
            await expectInvalidCode(attemptsRemaining: 1) {
                try await mfad.verify(challenge.challengeID, code: try OathTool.code(secret: totp.secret, at: now + 60))
            }
            // The current code still works (and the window was the reason, not a lock).
            _ = try await mfad.verify(challenge.challengeID, code: try OathTool.code(secret: totp.secret, at: now))
        }
    }

    @Test func wrongTOTPAndWrongRecoveryCodesCountTowardOneLock() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let now = try await mfad.advanceClock(30)
            let challenge = try await mfad.totpChallenge(totp.account)
            let wrongTOTP = try OathTool.wrongCode(secret: totp.secret, at: now)
            let wrongRecovery = wrongRecoveryCode(notIn: totp.recoveryCodes)

            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(challenge.challengeID, code: wrongTOTP) }
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verify(challenge.challengeID, code: wrongRecovery) }
            let wrong = await expectLocked(retryAfter: 300) { try await mfad.verify(challenge.challengeID, code: wrongTOTP) }

            let correct = await expectLocked(retryAfter: 300) {
                try await mfad.verify(challenge.challengeID, code: try OathTool.code(secret: totp.secret, at: now))
            }
            #expect(wrong == correct)  // no oracle
            let recovery = await expectLocked(retryAfter: 300) {
                try await mfad.verify(challenge.challengeID, code: totp.recoveryCodes[0])
            }
            #expect(wrong == recovery)
        }
    }

    @Test func wrongCodesOnDifferentTOTPChallengesShareTheCounter() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let now = try await mfad.advanceClock(30)
            let wrongTOTP = try OathTool.wrongCode(secret: totp.secret, at: now)

            let first = try await mfad.totpChallenge(totp.account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(first.challengeID, code: wrongTOTP) }
            let second = try await mfad.totpChallenge(totp.account)
            await expectInvalidCode(attemptsRemaining: 1) {
                try await mfad.verify(second.challengeID, code: wrongRecoveryCode(notIn: totp.recoveryCodes))
            }
            let third = try await mfad.totpChallenge(totp.account)
            await expectLocked(retryAfter: 300) { try await mfad.verify(third.challengeID, code: wrongTOTP) }
            await expectLocked(retryAfter: 300) { try await mfad.login(totp.account) }  // no new challenge while locked
        }
    }
}

/// A well-formed recovery code (two groups of five symbols) that is none of `codes`.
func wrongRecoveryCode(notIn codes: [String]) -> String {
    let canonical = Set(codes.map { $0.replacingOccurrences(of: "-", with: "") })
    for symbol in "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" {
        let candidate = String(repeating: symbol, count: 10)
        if !canonical.contains(candidate) {
            return String(candidate.prefix(5)) + "-" + String(candidate.suffix(5))
        }
    }
    return "ABCDE-FGHJK"
}
