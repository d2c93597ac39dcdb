import MFAClient
import MFAWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SPEC 2-3 "configurable": the real `mfad --test-mode` started with other numbers than the
/// spec's defaults obeys them, and its messages say them. One server per group of rules, to keep
/// the number of processes down.
@Suite(.serialized) struct ConfiguredRulesTests {
    static let lockedTenMinutes = "You've reached the maximum amount of attempts. Please try again in 10 min."

    /// Lock after 4 wrong codes for 10 minutes, escalate at the second lock within an hour,
    /// resend 20 s apart at most twice, sessions of one hour, email fallback for TOTP accounts.
    @Test func lockResendSessionAndEmailFallbackFollowTheConfiguredNumbers() async throws {
        let arguments = ["--lock-attempts", "4", "--lock-duration", "600", "--lock-escalation-count", "2",
                         "--lock-escalation-window", "3600", "--resend-interval", "20", "--resend-max", "2",
                         "--session-lifetime", "3600", "--email-fallback"]
        try await withMfad(extraArguments: arguments) { mfad in
            let alice = try await mfad.enforcedAccount()
            var challenge = try await mfad.loginForCode(alice)

            // Resends: 20 s apart, two per challenge.
            await expectError(.rateLimited, "Please wait 20 seconds before asking for a new code.", retryAfter: 20) {
                try await mfad.client.resendCode(ResendCodeRequest(challengeID: challenge.id))
            }
            for remaining in [1, 0] as [UInt32] {
                try await mfad.advanceClock(20)
                let resent = try await mfad.resend(challenge, to: alice)
                #expect(resent.response.resendsRemaining == remaining)
                challenge = resent.challenge
            }
            try await mfad.advanceClock(20)
            await expectError(.rateLimited, "You've asked for a new code 2 times for this login. Please start a new login to get a new code.",
                              retryAfter: 0) {
                try await mfad.client.resendCode(ResendCodeRequest(challengeID: challenge.id))
            }

            // Four attempts, then ten minutes, lifting at exactly 600 s.
            for remaining in [3, 2] as [UInt32] {
                await expectError(.invalidCode, Messages.invalidCode, attemptsRemaining: remaining, retryAfter: 0) {
                    try await mfad.verifyWrong(challenge)
                }
            }
            await expectError(.invalidCode, "Invalid code, your account will be locked after 4 incorrect attempts.",
                              attemptsRemaining: 1, retryAfter: 0) { try await mfad.verifyWrong(challenge) }
            await expectError(.locked, Self.lockedTenMinutes, attemptsRemaining: 0, retryAfter: 600) {
                try await mfad.verifyWrong(challenge)
            }
            try await mfad.advanceClock(599)
            await expectError(.locked, Self.lockedTenMinutes, attemptsRemaining: 0, retryAfter: 1) {
                try await mfad.verifyCorrect(challenge)
            }
            try await mfad.advanceClock(1)
            let verified = try await mfad.verifyCorrect(challenge)
            let sessionStart = try await mfad.now()
            #expect(verified.sessionExpiresUnix == sessionStart + 3600)

            // The second lock within the hour needs support.
            let second = try await mfad.loginForCode(alice)
            for remaining in [3, 2, 1] as [UInt32] {
                await expectError(.invalidCode, attemptsRemaining: remaining) { try await mfad.verifyWrong(second) }
            }
            await expectLockedUntilSupport { try await mfad.verifyWrong(second) }

            // A TOTP account is offered email too, and an email code (sent on ResendCode) logs in.
            let bob = try await mfad.createAccount("bob@example.com")
            let bobSession = try await mfad.verifyCorrect(try await mfad.loginForCode(bob)).sessionToken
            _ = try await mfad.enrollTOTP(bob, session: bobSession)
            let login = try await mfad.login(bob)
            #expect(login.methods == ["totp", "recovery_code", "email"])
            try await mfad.advanceClock(20)
            let emailed = try await mfad.resend(Challenge(id: login.challengeID, code: "", linkToken: "", reason: login.reason), to: bob)
            #expect(!(try await mfad.verifyCorrect(emailed.challenge)).sessionToken.isEmpty)

            // The session lasts an hour, not twelve.
            try await mfad.advanceClock(UInt64(sessionStart + 3599 - (try await mfad.now())))
            #expect(try await mfad.validate(verified.sessionToken).accountID == alice.id)
            try await mfad.advanceClock(2)
            await expectError(.invalidSession) { try await mfad.validate(verified.sessionToken) }
        }
    }

    /// New enrolments use SHA-256 and 8 digits, no skew is accepted, an unconfirmed enrolment
    /// lasts 2 minutes, two devices are trusted at most, each for a day.
    @Test func totpAndTrustedDevicesFollowTheConfiguredNumbers() async throws {
        let arguments = ["--totp-algorithm", "sha256", "--totp-digits", "8", "--totp-skew-steps", "0",
                         "--totp-enrollment-lifetime", "120", "--trusted-device-max", "2", "--trusted-device-lifetime", "86400"]
        try await withMfad(extraArguments: arguments) { mfad in
            let parameters = OathTool.Parameters(algorithm: "sha256", digits: 8)
            let alice = try await mfad.createAccount("alice@example.com")
            let session = try await mfad.sessionWithoutCode(alice)

            let stale = try await mfad.beginTOTP(alice, session: session)
            #expect(stale.otpauthURI
                == "otpauth://totp/mfad:alice%40example.com?secret=\(stale.secret)&issuer=mfad&algorithm=SHA256&digits=8")
            try await mfad.advanceClock(120)
            let staleCode = try OathTool.code(secret: stale.secret, at: try await mfad.now(), parameters)
            await expectError(.codeExpired) { try await mfad.confirmTOTP(stale, session: session, code: staleCode) }

            let totp = try await mfad.enrollTOTP(alice, session: session, parameters: parameters)
            let challenge = try await mfad.totpChallenge(alice)
            // The next step's code is refused with no skew, and accepted once its step has come.
            let nextStepCode = try OathTool.code(secret: totp.secret, at: try await mfad.now() + 30, parameters)
            #expect(nextStepCode.count == 8)
            await expectError(.invalidCode, attemptsRemaining: 2) { try await mfad.verify(challenge.challengeID, code: nextStepCode) }
            try await mfad.advanceClock(30)
            let first = try await mfad.verify(challenge.challengeID, code: nextStepCode, trustDevice: true, label: "device 0")
            #expect(!first.deviceToken.isEmpty)

            // A third trusted device drops the least recently used.
            let second = try await mfad.totpLogin(totp, trustDevice: true, label: "device 1").deviceToken
            _ = try await mfad.totpLogin(totp, trustDevice: true, label: "device 2")
            #expect(try await mfad.trustedDevices(session).map(\.label).sorted() == ["device 1", "device 2"])
            _ = try await mfad.totpChallenge(alice, deviceToken: first.deviceToken)

            // A trusted device lasts a day.
            try await mfad.advanceClock(86_400 - 31)
            _ = try await mfad.sessionWithoutCode(alice, deviceToken: second)
            try await mfad.advanceClock(1)
            #expect(try await mfad.totpChallenge(alice, deviceToken: second).reason == "DEVICE_EXPIRED")
        }
    }

    /// An enrolment keeps the parameters its URI announced: begun with sha256 and 8 digits, it is
    /// confirmed (and logs in) with them after a restart with the default configuration.
    @Test func anEnrolmentKeepsItsParametersAcrossAConfigurationChange() async throws {
        try await withMfad(extraArguments: ["--totp-algorithm", "sha256", "--totp-digits", "8"]) { mfad in
            let parameters = OathTool.Parameters(algorithm: "sha256", digits: 8)
            let alice = try await mfad.createAccount("alice@example.com")
            let session = try await mfad.sessionWithoutCode(alice)
            let enrollment = try await mfad.beginTOTP(alice, session: session)
            #expect(enrollment.otpauthURI.hasSuffix("&algorithm=SHA256&digits=8"))

            try await mfad.restart(signal: SIGTERM, replacingExtraArguments: [])
            let code = try OathTool.code(secret: enrollment.secret, at: try await mfad.now(), parameters)
            let codes = try await mfad.confirmTOTP(enrollment, session: session, code: code)
            #expect(codes.count == 10)
            let totp = TOTPAccount(account: alice, session: session, secret: enrollment.secret, recoveryCodes: codes,
                                   confirmedAt: try await mfad.now(), parameters: parameters)
            #expect(!(try await mfad.totpLogin(totp)).sessionToken.isEmpty)
        }
    }
}
