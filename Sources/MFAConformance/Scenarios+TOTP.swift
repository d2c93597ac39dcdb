import MFACore
import MFAWire

extension Scenario {
    static let totpScenarios: [Scenario] = [
        Scenario("totp", [
            "TOTP enrolment (secret, otpauth URI, QR PNG and SVG), confirmation with recovery codes, login",
            "with a TOTP code and trusting the device, the device token skipping MFA, recovery codes.",
        ]) { s in
            try s.createVerifiedAccount("ada@example.com")
            var clock = Timestamp.testModeStart
            let session = try s.session("ada@example.com")
            let enrollment = try s.expect(s.call(.beginTotpEnrollment(BeginTotpEnrollmentRequest(
                sessionToken: session, password: ScenarioSession.password))), "an enrolment") {
                if case .beginTotpEnrollment(let r) = $0 { r } else { nil }
            }
            guard let secret = Base32.decode(enrollment.secret) else { throw ScenarioSession.Unexpected(description: "bad secret") }
            let totp = TOTP()
            let recovery = try s.expect(s.call(.confirmTotpEnrollment(ConfirmTotpEnrollmentRequest(
                sessionToken: session, enrollmentID: enrollment.enrollmentID, code: totp.code(secret: secret, at: clock)))),
                "recovery codes") { if case .confirmTotpEnrollment(let r) = $0 { r.recoveryCodes } else { nil } }
            clock = try s.advance(30)
            let challenge = try s.challenge("ada@example.com")
            let device = try s.expect(s.verify(challenge, totp.code(secret: secret, at: clock), trustDevice: true, label: "laptop"),
                                      "a device token") { if case .verifyMfa(let r) = $0 { r.deviceToken } else { nil } }
            let trusted = try s.session("ada@example.com", deviceToken: device)
            let devices = try s.expect(s.call(.listTrustedDevices(ListTrustedDevicesRequest(sessionToken: trusted))), "devices") {
                if case .listTrustedDevices(let r) = $0 { r.devices } else { nil }
            }
            try s.call(.removeTrustedDevice(RemoveTrustedDeviceRequest(sessionToken: trusted, deviceID: devices.first?.deviceID ?? "")))
            let again = try s.challenge("ada@example.com", deviceToken: device)
            try s.verify(again, recovery.first ?? "")
            try s.verify(try s.challenge("ada@example.com"), recovery.first ?? "")
            try s.call(.regenerateRecoveryCodes(RegenerateRecoveryCodesRequest(sessionToken: trusted, password: ScenarioSession.password)))
            try s.call(.getMfaStatus(GetMfaStatusRequest(sessionToken: trusted)))
        },
        Scenario("mfa-changes", [
            "DisableMfa works before enforcement and answers MFA_ENFORCED after; ChangePassword revokes other sessions;",
            "ResetMfa (support) removes the authenticator.",
        ]) { s in
            let id = try s.createVerifiedAccount("ada@example.com")
            let session = try s.session("ada@example.com")
            let totp = TOTP()
            for round in 0..<2 {
                let enrollment = try s.expect(s.call(.beginTotpEnrollment(BeginTotpEnrollmentRequest(
                    sessionToken: session, password: ScenarioSession.password))), "an enrolment") {
                    if case .beginTotpEnrollment(let r) = $0 { r } else { nil }
                }
                guard let secret = Base32.decode(enrollment.secret) else { throw ScenarioSession.Unexpected(description: "bad secret") }
                let now = try s.advance(30)
                try s.call(.confirmTotpEnrollment(ConfirmTotpEnrollmentRequest(
                    sessionToken: session, enrollmentID: enrollment.enrollmentID, code: totp.code(secret: secret, at: now))))
                if round == 0 {
                    try s.call(.disableMfa(DisableMfaRequest(sessionToken: session, password: ScenarioSession.password)))
                }
            }
            try s.enforceFromStart()
            try s.call(.disableMfa(DisableMfaRequest(sessionToken: session, password: ScenarioSession.password)))
            try s.call(.disableMfa(DisableMfaRequest(sessionToken: session, password: "wrong password")))
            let other = try s.expect(s.call(.createAccount(CreateAccountRequest(
                email: "bob@example.com", password: ScenarioSession.password, phone: ScenarioSession.phone,
                plan: "pro", workspace: "acme"))), "an account") { if case .createAccount(let r) = $0 { r.accountID } else { nil } }
            _ = other
            try s.call(.changePassword(ChangePasswordRequest(sessionToken: session, oldPassword: ScenarioSession.password,
                                                             newPassword: "a new password")))
            try s.call(.resetMfa(ResetMfaRequest(accountID: id)))
            try s.login("ada@example.com", password: "a new password")
        },
    ]
}
