import Foundation
import MFAClient
import MFAWire
import Testing

/// SPEC 2.2: TOTP enrolment through the real `mfad`, checked against independent tools
/// (Debian's `oathtool` for the codes, `zbarimg` for the QR code).
@Suite(.serialized) struct TOTPEnrollmentTests {
    @Test func oathtoolCodesConfirmTheEnrolmentAndLogIn() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let session = try await mfad.sessionWithoutCode(account)
            let enrollment = try await mfad.beginTOTP(account, session: session)
            let secretBytes = try #require(TestBase32.decode(enrollment.secret))
            #expect(secretBytes.count == 20)  // 160 bits

            let now = try await mfad.now()
            let codes = try await mfad.confirmTOTP(enrollment, session: session,
                                                   code: try OathTool.code(secret: enrollment.secret, at: now))
            #expect(codes.count == 10)

            let challenge = try await mfad.totpChallenge(account)  // methods totp, recovery_code; no email
            #expect(challenge.reason == "MFA_ENABLED")
            let later = try await mfad.advanceClock(30)
            let verified = try await mfad.verify(challenge.challengeID, code: try OathTool.code(secret: enrollment.secret, at: later))
            #expect(try await mfad.validate(verified.sessionToken).accountID == account.id)
        }
    }

    @Test func otpauthURINamesIssuerEmailAndSecret() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let enrollment = try await mfad.beginTOTP(account, session: try await mfad.sessionWithoutCode(account))
            #expect(enrollment.otpauthURI == "otpauth://totp/mfad:alice%40example.com?secret=\(enrollment.secret)&issuer=mfad")
            #expect(enrollment.secret.count == 32)
            #expect(enrollment.secret.allSatisfy { TestBase32.alphabet.contains($0) })
        }
    }

    @Test func qrPngDecodesToExactlyTheOtpauthURI() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let enrollment = try await mfad.beginTOTP(account, session: try await mfad.sessionWithoutCode(account))
            #expect(Array(enrollment.qrPng.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(try ZBar.decode(png: enrollment.qrPng) == enrollment.otpauthURI)
        }
    }

    @Test func qrSvgIsAnSVGDocument() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let enrollment = try await mfad.beginTOTP(account, session: try await mfad.sessionWithoutCode(account))
            #expect(enrollment.qrSvg.hasPrefix("<svg") || enrollment.qrSvg.hasPrefix("<?xml"))
            #expect(enrollment.qrSvg.contains("</svg>"))
        }
    }

    @Test func enrolmentWithAWrongPasswordIsInvalidCredentials() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let session = try await mfad.sessionWithoutCode(account)
            await expectError(.invalidCredentials) {
                try await mfad.client.beginTotpEnrollment(BeginTotpEnrollmentRequest(sessionToken: session, password: "not the password"))
            }
        }
    }

    @Test func enrolmentWithAGarbageSessionIsInvalidSession() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            _ = try await mfad.sessionWithoutCode(account)
            await expectError(.invalidSession) {
                try await mfad.client.beginTotpEnrollment(BeginTotpEnrollmentRequest(sessionToken: "garbage", password: account.password))
            }
            await expectError(.invalidSession) {  // well-formed, but no such session
                try await mfad.client.beginTotpEnrollment(BeginTotpEnrollmentRequest(
                    sessionToken: String(repeating: "A", count: 43), password: account.password))
            }
        }
    }

    @Test func setUpCodeCannotBeTheFirstLoginCode() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let session = try await mfad.sessionWithoutCode(account)
            let enrollment = try await mfad.beginTOTP(account, session: session)
            let setUpCode = try OathTool.code(secret: enrollment.secret, at: try await mfad.now())
            _ = try await mfad.confirmTOTP(enrollment, session: session, code: setUpCode)

            let challenge = try await mfad.totpChallenge(account)  // same time step
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(challenge.challengeID, code: setUpCode) }
        }
    }

    @Test func unconfirmedEnrolmentExpiresAfterFifteenMinutes() async throws {
        try await withMfad { mfad in
            let alice = try await mfad.createAccount("alice@example.com")
            let bob = try await mfad.createAccount("bob@example.com")
            let aliceSession = try await mfad.sessionWithoutCode(alice)
            let bobSession = try await mfad.sessionWithoutCode(bob)
            let aliceEnrollment = try await mfad.beginTOTP(alice, session: aliceSession)
            let bobEnrollment = try await mfad.beginTOTP(bob, session: bobSession)
            #expect(aliceEnrollment.expiresUnix == testClockStart + 900)

            let justBefore = try await mfad.advanceClock(899)
            _ = try await mfad.confirmTOTP(aliceEnrollment, session: aliceSession,
                                           code: try OathTool.code(secret: aliceEnrollment.secret, at: justBefore))
            let atExpiry = try await mfad.advanceClock(1)
            await expectError(.codeExpired) {
                try await mfad.confirmTOTP(bobEnrollment, session: bobSession,
                                           code: try OathTool.code(secret: bobEnrollment.secret, at: atExpiry))
            }
            #expect(try await mfad.mfaStatus(bobSession).totpEnabled == false)
        }
    }

    @Test func wrongConfirmationCodeLeavesTOTPOff() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let session = try await mfad.sessionWithoutCode(account)
            let enrollment = try await mfad.beginTOTP(account, session: session)
            let wrong = try OathTool.wrongCode(secret: enrollment.secret, at: try await mfad.now())
            await expectError(.invalidCode) { try await mfad.confirmTOTP(enrollment, session: session, code: wrong) }
            #expect(try await mfad.mfaStatus(session).totpEnabled == false)
            _ = try await mfad.sessionWithoutCode(account)  // still no code at login
        }
    }

    @Test func enrolmentOfAnotherAccountCannotBeConfirmed() async throws {
        try await withMfad { mfad in
            let alice = try await mfad.createAccount("alice@example.com")
            let mallory = try await mfad.createAccount("mallory@example.com")
            let enrollment = try await mfad.beginTOTP(alice, session: try await mfad.sessionWithoutCode(alice))
            let mallorySession = try await mfad.sessionWithoutCode(mallory)
            await expectError(.notFound) {
                try await mfad.confirmTOTP(enrollment, session: mallorySession,
                                           code: try OathTool.code(secret: enrollment.secret, at: try await mfad.now()))
            }
            #expect(try await mfad.mfaStatus(mallorySession).totpEnabled == false)
        }
    }

    @Test func secondEnrolmentWhileTOTPIsOnIsRefused() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            await expectError(.failedPrecondition) { try await mfad.beginTOTP(totp.account, session: totp.session) }
        }
    }

    @Test func mfaStatusAfterEnrolmentShowsTOTPAndTrustedDevices() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let before = try await mfad.mfaStatus(try await mfad.sessionWithoutCode(account))
            #expect(before.totpEnabled == false)
            #expect(before.methods.isEmpty)

            let totp = try await mfad.enrollTOTP(account)
            let status = try await mfad.mfaStatus(totp.session)
            #expect(status.totpEnabled)
            #expect(status.methods == ["totp", "recovery_code"])
            #expect(status.trustedDevices == 0)

            let trusted = try await mfad.totpLogin(totp, trustDevice: true, label: "laptop")
            #expect(try await mfad.mfaStatus(trusted.sessionToken).trustedDevices == 1)
        }
    }
}
