import MFAClient
import MFAWire
import Testing

/// SPEC 2.6: 10 single-use recovery codes, shown at TOTP confirmation and on
/// `RegenerateRecoveryCodes`, accepted by `VerifyMfa`.
@Suite(.serialized) struct RecoveryCodeTests {
    @Test func confirmationReturnsTenDistinctCodes() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            #expect(totp.recoveryCodes.count == 10)
            #expect(Set(totp.recoveryCodes).count == 10)
            for code in totp.recoveryCodes {
                #expect(code.count >= 8, "\(code)")
            }
        }
    }

    @Test func recoveryCodeLogsInIgnoringCaseDashesAndSpaces() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let typed = " " + totp.recoveryCodes[3].lowercased().replacingOccurrences(of: "-", with: " ") + " "
            let challenge = try await mfad.totpChallenge(totp.account)
            let verified = try await mfad.verify(challenge.challengeID, code: typed)
            #expect(try await mfad.validate(verified.sessionToken).accountID == totp.account.id)
        }
    }

    @Test func recoveryCodeWithoutItsDashLogsIn() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let challenge = try await mfad.totpChallenge(totp.account)
            _ = try await mfad.verify(challenge.challengeID, code: totp.recoveryCodes[0].replacingOccurrences(of: "-", with: ""))
        }
    }

    @Test func recoveryCodeIsSingleUseAndItsReuseIsCounted() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let code = totp.recoveryCodes[0]
            _ = try await mfad.verify(try await mfad.totpChallenge(totp.account).challengeID, code: code)

            let again = try await mfad.totpChallenge(totp.account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(again.challengeID, code: code) }
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verify(again.challengeID, code: code.lowercased()) }
            _ = try await mfad.verify(again.challengeID, code: totp.recoveryCodes[1])  // the others still work
        }
    }

    @Test func regenerateNeedsThePassword() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            await expectError(.invalidCredentials) {
                try await mfad.client.regenerateRecoveryCodes(RegenerateRecoveryCodesRequest(sessionToken: totp.session,
                                                                                             password: "not the password"))
            }
            await expectError(.invalidSession) {
                try await mfad.client.regenerateRecoveryCodes(RegenerateRecoveryCodesRequest(sessionToken: "garbage",
                                                                                             password: totp.account.password))
            }
            _ = try await mfad.verify(try await mfad.totpChallenge(totp.account).challengeID, code: totp.recoveryCodes[0])
        }
    }

    @Test func regeneratedCodesReplaceTheOldOnes() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let fresh = try await mfad.client.regenerateRecoveryCodes(RegenerateRecoveryCodesRequest(
                sessionToken: totp.session, password: totp.account.password)).recoveryCodes
            #expect(fresh.count == 10)
            #expect(Set(fresh).count == 10)
            #expect(Set(fresh).isDisjoint(with: totp.recoveryCodes))

            let challenge = try await mfad.totpChallenge(totp.account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(challenge.challengeID, code: totp.recoveryCodes[0]) }
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verify(challenge.challengeID, code: totp.recoveryCodes[9]) }
            let verified = try await mfad.verify(challenge.challengeID, code: fresh[0])
            #expect(try await mfad.validate(verified.sessionToken).accountID == totp.account.id)
        }
    }
}
