import MFAClient
import MFAWire
import Testing

/// SPEC 2.4 and 2.6: trusted devices of a TOTP account: no code with a valid device token;
/// expiry after 90 days, removal, password change and the limit of 20 revoke tokens.
@Suite(.serialized) struct TrustedDeviceTests {
    static let ninetyDays: Int64 = 90 * 86_400

    @Test func trustedDeviceLogsInWithoutACodeAndIsListed() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let trusted = try await mfad.totpLogin(totp, trustDevice: true, label: "Alice's laptop")
            let trustedAt = try await mfad.now()
            #expect(!trusted.deviceToken.isEmpty)

            let usedAt = try await mfad.advanceClock(3600)
            let session = try await mfad.sessionWithoutCode(totp.account, deviceToken: trusted.deviceToken)
            #expect(try await mfad.validate(session).accountID == totp.account.id)

            let devices = try await mfad.trustedDevices(session)
            try #require(devices.count == 1)
            #expect(!devices[0].deviceID.isEmpty)
            #expect(devices[0].label == "Alice's laptop")
            #expect(devices[0].createdUnix == trustedAt)
            #expect(devices[0].lastUsedUnix == usedAt)
            #expect(devices[0].expiresUnix == devices[0].createdUnix + Self.ninetyDays)
        }
    }

    @Test func anotherBrowserWithoutTheTokenNeedsACode() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            _ = try await mfad.totpLogin(totp, trustDevice: true, label: "laptop")
            let other = try await mfad.totpChallenge(totp.account)
            #expect(other.reason == "NEW_DEVICE")
        }
    }

    @Test func withoutTrustDeviceNoTokenIsReturned() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let verified = try await mfad.totpLogin(totp)
            #expect(verified.deviceToken.isEmpty)
            #expect(try await mfad.trustedDevices(verified.sessionToken).isEmpty)
        }
    }

    @Test func deviceTokenOfAnotherAccountIsNoToken() async throws {
        try await withMfad { mfad in
            let alice = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let bob = try await mfad.enrollTOTP(try await mfad.createAccount("bob@example.com"))
            let aliceToken = try await mfad.totpLogin(alice, trustDevice: true, label: "alice").deviceToken
            let bobLogin = try await mfad.totpChallenge(bob.account, deviceToken: aliceToken)
            #expect(bobLogin.reason == "MFA_ENABLED")
        }
    }

    @Test func deviceOfAnotherAccountCannotBeRemoved() async throws {
        try await withMfad { mfad in
            let alice = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let bob = try await mfad.createAccount("bob@example.com")
            let aliceToken = try await mfad.totpLogin(alice, trustDevice: true, label: "alice").deviceToken
            let device = try #require(try await mfad.trustedDevices(alice.session).first)
            let bobSession = try await mfad.sessionWithoutCode(bob)

            await expectError(.notFound) {
                try await mfad.client.removeTrustedDevice(RemoveTrustedDeviceRequest(sessionToken: bobSession, deviceID: device.deviceID))
            }
            #expect(try await mfad.trustedDevices(bobSession).isEmpty)
            _ = try await mfad.sessionWithoutCode(alice.account, deviceToken: aliceToken)
        }
    }

    @Test func tokenExpiresAfterNinetyDays() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let token = try await mfad.totpLogin(totp, trustDevice: true, label: "laptop").deviceToken

            try await mfad.advanceClock(UInt64(Self.ninetyDays - 1))
            _ = try await mfad.sessionWithoutCode(totp.account, deviceToken: token)
            try await mfad.advanceClock(1)
            let expired = try await mfad.totpChallenge(totp.account, deviceToken: token)
            #expect(expired.reason == "DEVICE_EXPIRED")
        }
    }

    @Test func removedDeviceNeedsACode() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let token = try await mfad.totpLogin(totp, trustDevice: true, label: "laptop").deviceToken
            let device = try #require(try await mfad.trustedDevices(totp.session).first)

            _ = try await mfad.client.removeTrustedDevice(RemoveTrustedDeviceRequest(sessionToken: totp.session, deviceID: device.deviceID))
            #expect(try await mfad.trustedDevices(totp.session).isEmpty)
            _ = try await mfad.totpChallenge(totp.account, deviceToken: token)
            await expectError(.notFound) {  // already removed
                try await mfad.client.removeTrustedDevice(RemoveTrustedDeviceRequest(sessionToken: totp.session, deviceID: device.deviceID))
            }
        }
    }

    @Test func passwordChangeRevokesDevicesAndOtherSessions() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let trusted = try await mfad.totpLogin(totp, trustDevice: true, label: "laptop")
            let newPassword = "a brand new passphrase"

            await expectError(.invalidCredentials) {
                try await mfad.client.changePassword(ChangePasswordRequest(
                    sessionToken: totp.session, oldPassword: "not the password", newPassword: newPassword))
            }
            _ = try await mfad.client.changePassword(ChangePasswordRequest(
                sessionToken: totp.session, oldPassword: totp.account.password, newPassword: newPassword))

            #expect(try await mfad.validate(totp.session).accountID == totp.account.id)  // the caller's session stays
            await expectError(.invalidSession) { try await mfad.validate(trusted.sessionToken) }
            await expectError(.invalidCredentials) { try await mfad.login(totp.account) }  // the old password

            let withToken = try await mfad.totpChallenge(totp.account, password: newPassword, deviceToken: trusted.deviceToken)
            #expect(withToken.reason == "PASSWORD_CHANGED")
            let verified = try await mfad.verify(withToken.challengeID, code: try await mfad.nextTOTPCode(totp))
            #expect(try await mfad.validate(verified.sessionToken).accountID == totp.account.id)
            #expect(try await mfad.trustedDevices(totp.session).isEmpty)
        }
    }

    @Test func trustingATwentyFirstDeviceDropsTheLeastRecentlyUsed() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            var tokens: [String] = []
            for index in 0..<20 {
                tokens.append(try await mfad.totpLogin(totp, trustDevice: true, label: "device \(index)").deviceToken)
            }
            try await mfad.advanceClock(60)
            _ = try await mfad.sessionWithoutCode(totp.account, deviceToken: tokens[0])  // device 0 used again: device 1 is now the LRU

            let twentyFirst = try await mfad.totpLogin(totp, trustDevice: true, label: "device 20").deviceToken
            let devices = try await mfad.trustedDevices(totp.session)
            #expect(devices.count == 20)
            #expect(!devices.contains { $0.label == "device 1" })
            #expect(devices.contains { $0.label == "device 0" })

            _ = try await mfad.totpChallenge(totp.account, deviceToken: tokens[1])
            _ = try await mfad.sessionWithoutCode(totp.account, deviceToken: tokens[0])
            _ = try await mfad.sessionWithoutCode(totp.account, deviceToken: tokens[2])
            _ = try await mfad.sessionWithoutCode(totp.account, deviceToken: twentyFirst)
        }
    }
}
