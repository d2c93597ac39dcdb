import MFAClient
import MFAWire
import Testing

/// SPEC 2.5, 2.6 and 3: `DisableMfa` (refused once enforced) and the support call `ResetMfa`.
@Suite(.serialized) struct DisableAndResetMfaTests {
    @Test func disableMfaNeedsThePassword() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            await expectError(.invalidCredentials) {
                try await mfad.client.disableMfa(DisableMfaRequest(sessionToken: totp.session, password: "not the password"))
            }
            await expectError(.invalidSession) {
                try await mfad.client.disableMfa(DisableMfaRequest(sessionToken: "garbage", password: totp.account.password))
            }
            #expect(try await mfad.mfaStatus(totp.session).totpEnabled)
        }
    }

    @Test func disableMfaBeforeEnforcementRemovesTOTPAndTrustedDevices() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let token = try await mfad.totpLogin(totp, trustDevice: true, label: "laptop").deviceToken
            _ = try await mfad.client.disableMfa(DisableMfaRequest(sessionToken: totp.session, password: totp.account.password))

            let session = try await mfad.sessionWithoutCode(totp.account)  // no code any more
            #expect(try await mfad.trustedDevices(session).isEmpty)
            let status = try await mfad.mfaStatus(session)
            #expect(status.totpEnabled == false)
            #expect(status.trustedDevices == 0)
            _ = try await mfad.sessionWithoutCode(totp.account, deviceToken: token)
        }
    }

    @Test func disableMfaAnswersMfaEnforcedOnceTheDatePassed() async throws {
        try await withMfad { mfad in
            try await mfad.enforce(from: testClockStart + 3600)
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            try await mfad.advanceClock(3600)

            await expectError(.mfaEnforced) {
                try await mfad.client.disableMfa(DisableMfaRequest(sessionToken: totp.session, password: totp.account.password))
            }
            #expect(try await mfad.mfaStatus(totp.session).totpEnabled)
            _ = try await mfad.totpChallenge(totp.account)
        }
    }

    @Test func resetMfaOnAnEnforcedAccountFallsBackToEmailCodes() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let emailLogin = try await mfad.verifyCorrect(try await mfad.loginForCode(account))
            let totp = try await mfad.enrollTOTP(account, session: emailLogin.sessionToken)
            let token = try await mfad.totpLogin(totp, trustDevice: true, label: "laptop").deviceToken

            _ = try await mfad.client.resetMfa(ResetMfaRequest(accountID: account.id))

            let status = try await mfad.mfaStatus(totp.session)
            #expect(status.totpEnabled == false)
            #expect(status.trustedDevices == 0)
            #expect(status.methods == ["email"])
            let emailChallenge = try await mfad.loginForCode(account)  // methods ["email"], the email sent
            #expect(emailChallenge.reason == "MFA_ENFORCED")
            let tokenLogin = try await mfad.login(account, deviceToken: token)  // the device was revoked too
            #expect(tokenLogin.sessionToken.isEmpty)
            #expect(tokenLogin.methods == ["email"])
            // A recovery code is no code for this challenge any more: a wrong code.
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(emailChallenge, code: totp.recoveryCodes[0]) }
            _ = try await mfad.verifyCorrect(emailChallenge)
        }
    }

    @Test func resetMfaWithoutEnforcementLetsTheNextLoginIn() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            _ = try await mfad.totpLogin(totp, trustDevice: true, label: "laptop")
            _ = try await mfad.client.resetMfa(ResetMfaRequest(accountID: totp.account.id))

            let session = try await mfad.sessionWithoutCode(totp.account)
            #expect(try await mfad.mfaStatus(session).totpEnabled == false)
            #expect(try await mfad.trustedDevices(session).isEmpty)
        }
    }

    @Test func resetMfaOfAnUnknownAccountIsNotFoundAndOfAMalformedIdInvalid() async throws {
        try await withMfad { mfad in
            await expectError(.notFound) { try await mfad.client.resetMfa(ResetMfaRequest(accountID: "AAAAAAAAAAAAAAAAAAAAAA")) }
            await expectError(.invalidArgument) { try await mfad.client.resetMfa(ResetMfaRequest(accountID: "no-such-account")) }
        }
    }
}
