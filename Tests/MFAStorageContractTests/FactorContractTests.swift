import MFAStorageTestSupport
import MFACore
import Testing

@Suite("Contract: TOTP, recovery codes, trusted devices, sealed secrets")
struct FactorContractTests {
    @Test(arguments: Engine.allCases)
    func totpAuthenticatorInsertsOrReplaces(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            try await storage.write { try await $0.insertAccount(Fixtures.account()) }
            #expect(try await storage.read { try await $0.totpAuthenticator(accountID: "acct-1") } == nil)
            try await storage.write { try await $0.setTOTPAuthenticator(Fixtures.totp(step: 5)) }
            #expect(try await storage.read { try await $0.totpAuthenticator(accountID: "acct-1") } == Fixtures.totp(step: 5))

            let replacement = TOTPAuthenticatorRecord(accountID: "acct-1", sealedSecret: Fixtures.bytes(90, count: 60),
                                                      algorithm: "SHA256", digits: 8, period: 60, lastUsedStep: 0,
                                                      enabledAt: Fixtures.at(500))
            try await storage.write { try await $0.setTOTPAuthenticator(replacement) }
            #expect(try await storage.read { try await $0.totpAuthenticator(accountID: "acct-1") } == replacement)

            try await storage.write { try await $0.updateTOTPLastUsedStep(accountID: "acct-1", step: 56_666_667) }
            #expect(try await storage.read { try await $0.totpAuthenticator(accountID: "acct-1") }?.lastUsedStep == 56_666_667)
            try await storage.write { try await $0.deleteTOTPAuthenticator(accountID: "acct-1") }
            #expect(try await storage.read { try await $0.totpAuthenticator(accountID: "acct-1") } == nil)
        }
    }

    @Test(arguments: Engine.allCases)
    func totpEnrollmentsAndSealedSecrets(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let enrollment = TOTPEnrollmentRecord(id: "enr-1", accountID: "acct-1", sealedSecret: Fixtures.bytes(40, count: 48),
                                                  createdAt: Fixtures.t0, expiresAt: Fixtures.at(600))
            try await storage.write { tx in
                try await tx.insertAccount(Fixtures.account())
                try await tx.insertTOTPEnrollment(enrollment)
                try await tx.setTOTPAuthenticator(Fixtures.totp())
            }
            #expect(try await storage.read { try await $0.totpEnrollment(id: "enr-1") } == enrollment)
            #expect(try await storage.read { try await $0.totpEnrollment(id: "enr-2") } == nil)
            try await storage.write { try await $0.markTOTPEnrollmentConfirmed(id: "enr-1") }
            #expect(try await storage.read { try await $0.totpEnrollment(id: "enr-1") }?.confirmed == true)

            let secrets = try await storage.read { try await $0.sealedSecrets() }
            #expect(secrets.map(\.table) == ["totp_authenticators", "totp_enrollments"])
            #expect(secrets.map(\.key) == ["acct-1", "enr-1"])
            #expect(secrets.allSatisfy { $0.associatedData == TOTPSecretContext.associatedData(accountID: "acct-1") })
            #expect(secrets.map(\.sealed) == [Fixtures.totp().sealedSecret, enrollment.sealedSecret])

        }
    }

    @Test(arguments: Engine.allCases)
    func recoveryCodesReplaceUseAndDelete(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let digests = (1...4).map { Fixtures.bytes(UInt8($0)) }
            try await storage.write { tx in
                try await tx.insertAccount(Fixtures.account())
                try await tx.replaceRecoveryCodes(accountID: "acct-1", digests: digests)
            }
            let codes = try await storage.read { try await $0.unusedRecoveryCodes(accountID: "acct-1") }
            #expect(codes.map(\.digest) == digests)
            #expect(codes.allSatisfy { $0.accountID == "acct-1" && $0.id > 0 })

            try await storage.write { try await $0.markRecoveryCodeUsed(id: codes[1].id, at: Fixtures.at(9)) }
            #expect(try await storage.read { try await $0.unusedRecoveryCodes(accountID: "acct-1") }.map(\.digest)
                    == [digests[0], digests[2], digests[3]])

            let fresh = (5...6).map { Fixtures.bytes(UInt8($0 * 20)) }
            try await storage.write { try await $0.replaceRecoveryCodes(accountID: "acct-1", digests: fresh) }
            #expect(try await storage.read { try await $0.unusedRecoveryCodes(accountID: "acct-1") }.map(\.digest) == fresh)

            try await storage.write { try await $0.deleteRecoveryCodes(accountID: "acct-1") }
            #expect(try await storage.read { try await $0.unusedRecoveryCodes(accountID: "acct-1") }.isEmpty)
        }
    }

    @Test(arguments: Engine.allCases)
    func trustedDevicesLeastRecentlyUsedFirst(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let devices = [
                Fixtures.device("d1", seed: 1, lastUsed: 300),
                Fixtures.device("d2", seed: 2, lastUsed: 100),
                Fixtures.device("d3", seed: 3, lastUsed: 200),
                Fixtures.device("expired", seed: 4, lastUsed: 50, expires: 400),
            ]
            try await storage.write { tx in
                try await tx.insertAccount(Fixtures.account())
                try await tx.insertAccount(Fixtures.account("acct-2"))
                for device in devices { try await tx.insertTrustedDevice(device) }
                try await tx.insertTrustedDevice(Fixtures.device("other", accountID: "acct-2", seed: 5, lastUsed: 0))
            }
            #expect(try await storage.read { try await $0.trustedDevice(tokenDigest: Fixtures.bytes(1)) } == devices[0])
            #expect(try await storage.read { try await $0.trustedDevice(tokenDigest: Fixtures.bytes(99)) } == nil)

            let now = Fixtures.at(500)
            #expect(try await storage.read { try await $0.activeTrustedDevices(accountID: "acct-1", now: now) }.map(\.id) == ["d2", "d3", "d1"])

            try await storage.write { try await $0.touchTrustedDevice(id: "d2", at: Fixtures.at(400)) }
            #expect(try await storage.read { try await $0.activeTrustedDevices(accountID: "acct-1", now: now) }.map(\.id) == ["d3", "d1", "d2"])

            try await storage.write { try await $0.revokeTrustedDevice(id: "d3", at: Fixtures.at(410), reason: .removed) }
            try await storage.write { try await $0.revokeTrustedDevice(id: "d3", at: Fixtures.at(420), reason: .replaced) }
            let revoked = try await storage.read { try await $0.trustedDevice(tokenDigest: Fixtures.bytes(3)) }
            #expect(revoked?.revokedAt == Fixtures.at(410))
            #expect(revoked?.revocation == .removed)
            #expect(try await storage.read { try await $0.activeTrustedDevices(accountID: "acct-1", now: now) }.map(\.id) == ["d1", "d2"])

            try await storage.write { try await $0.revokeTrustedDevices(accountID: "acct-1", at: Fixtures.at(430), reason: .passwordChanged) }
            #expect(try await storage.read { try await $0.activeTrustedDevices(accountID: "acct-1", now: now) }.isEmpty)
            #expect(try await storage.read { try await $0.trustedDevice(tokenDigest: Fixtures.bytes(1)) }?.revocation == .passwordChanged)
            #expect(try await storage.read { try await $0.trustedDevice(tokenDigest: Fixtures.bytes(3)) }?.revocation == .removed)
            #expect(try await storage.read { try await $0.activeTrustedDevices(accountID: "acct-2", now: now) }.map(\.id) == ["other"])
        }
    }
}
