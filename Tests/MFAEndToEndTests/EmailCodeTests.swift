import MFAClient
import MFAWire
import Testing

/// SPEC 2.1: the email code and link: lifetime, single use, resend and its throttle.
@Suite(.serialized) struct EmailCodeTests {
    @Test func codeWorksOneSecondBeforeTwentyMinutes() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            try await mfad.advanceClock(1199)
            let verified = try await mfad.verifyCorrect(challenge)
            #expect(!verified.sessionToken.isEmpty)
        }
    }

    @Test func codeHasExpiredAtExactlyTwentyMinutes() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            try await mfad.advanceClock(1200)
            await expectCodeExpired { try await mfad.verifyCorrect(challenge) }
        }
    }

    @Test func expiredCodeIsNotCountedAsAWrongAttempt() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let expired = try await mfad.loginForCode(account)
            try await mfad.advanceClock(1200)
            await expectCodeExpired { try await mfad.verifyCorrect(expired) }
            let fresh = try await mfad.loginForCode(account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(fresh) }
        }
    }

    @Test func codeIsSingleUse() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            _ = try await mfad.verifyCorrect(challenge)
            await expectCodeExpired { try await mfad.verifyCorrect(challenge) }
            await expectCodeExpired { try await mfad.verifyLink(challenge.linkToken) }
        }
    }

    @Test func codeIsMatchedIgnoringCaseAndSpaces() async throws {
        try await withMfad { mfad in
            let challenge = try await mfad.loginForCode(try await mfad.enforcedAccount())
            let typed = " " + challenge.code.prefix(3).lowercased() + " " + challenge.code.dropFirst(3).lowercased() + " "
            let verified = try await mfad.verify(challenge, code: typed)
            #expect(!verified.sessionToken.isEmpty)
        }
    }

    @Test func resendReplacesTheCodeAndTheLink() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let old = try await mfad.loginForCode(account)
            try await mfad.advanceClock(60)
            let (response, new) = try await mfad.resend(old, to: account)
            #expect(response.codeExpiresUnix == testClockStart + 60 + 1200)
            #expect(response.resendsRemaining == 4)
            #expect(new.code != old.code)
            #expect(new.linkToken != old.linkToken)

            await expectCodeExpired { try await mfad.verifyCorrect(old) }
            await expectCodeExpired { try await mfad.verifyLink(old.linkToken) }
            let verified = try await mfad.verifyCorrect(new)
            #expect(try await mfad.validate(verified.sessionToken).accountID == account.id)
        }
    }

    @Test func resentLinkWorksAndTheOldLinkDoesNot() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let old = try await mfad.loginForCode(account)
            try await mfad.advanceClock(60)
            let new = try await mfad.resend(old, to: account).challenge

            await expectCodeExpired { try await mfad.verifyLink(old.linkToken) }
            let verified = try await mfad.verifyLink(new.linkToken)
            #expect(try await mfad.validate(verified.sessionToken).accountID == account.id)
            await expectCodeExpired { try await mfad.verifyCorrect(new) }  // the link used the new code
        }
    }

    @Test func resendTooSoonIsRateLimitedWithTheWaitLeft() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            await expectError(.rateLimited, retryAfter: 60) {
                try await mfad.client.resendCode(ResendCodeRequest(challengeID: challenge.id))
            }
            try await mfad.advanceClock(30)
            await expectError(.rateLimited, retryAfter: 30) {
                try await mfad.client.resendCode(ResendCodeRequest(challengeID: challenge.id))
            }
            try await mfad.advanceClock(30)
            let resent = try await mfad.resend(challenge, to: account)
            #expect(resent.response.resendsRemaining == 4)
            await expectError(.rateLimited, retryAfter: 60) {
                try await mfad.client.resendCode(ResendCodeRequest(challengeID: challenge.id))
            }
            // A refused resend changes nothing: the code of the last email still works.
            _ = try await mfad.verifyCorrect(resent.challenge)
        }
    }

    @Test func sixthResendOfAChallengeIsRefusedForGood() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            var challenge = try await mfad.loginForCode(account)
            for remaining in (0...4).reversed() {
                try await mfad.advanceClock(60)
                let resent = try await mfad.resend(challenge, to: account)
                #expect(resent.response.resendsRemaining == UInt32(remaining))
                challenge = resent.challenge
            }
            try await mfad.advanceClock(60)
            await expectError(.rateLimited, retryAfter: 0) {
                try await mfad.client.resendCode(ResendCodeRequest(challengeID: challenge.id))
            }
            // The last code still works: the refusal only stops further emails.
            _ = try await mfad.verifyCorrect(challenge)
        }
    }

    @Test func validLinkGivesASessionThatValidates() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            let verified = try await mfad.verifyLink(challenge.linkToken)
            #expect(verified.sessionExpiresUnix == testClockStart + 12 * 3600)
            let session = try await mfad.validate(verified.sessionToken)
            #expect(session.accountID == account.id)
            #expect(session.email == account.email)
            await expectCodeExpired { try await mfad.verifyCorrect(challenge) }
        }
    }

    @Test func unknownLinkIsInvalidAndCountsNothing() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            await expectError(.invalidCode, "This link is invalid.") {
                try await mfad.verifyLink(String(repeating: "A", count: 43))
            }
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(challenge) }
        }
    }
}
