import MFAClient
import MFAWire
import Testing

/// SPEC 4.3: `AdvanceClock` and `ReadOutbox` exist only in test mode.
@Suite(.serialized) struct TestModeTests {
    @Test func testModeRPCsAreUnimplementedOutsideTestMode() async throws {
        try await withMfad(.outsideTestMode) { mfad in
            let info = try await mfad.client.serverInfo()
            #expect(info.testMode == false)
            await expectError(.unimplemented) { try await mfad.client.advanceClock(AdvanceClockRequest(seconds: 60)) }
            await expectError(.unimplemented) { try await mfad.client.readOutbox() }
        }
    }

    @Test func outsideTestModeTheOutboxStillHoldsTheEmailsButNoRPCShowsThem() async throws {
        try await withMfad(.outsideTestMode) { mfad in
            _ = try await mfad.client.setEnforcementPolicy(SetEnforcementPolicyRequest(enforceFromUnix: 1))
            try await mfad.createAccount("alice@example.com")
            let login = try await mfad.client.login(LoginRequest(email: "alice@example.com", password: defaultPassword))
            #expect(!login.challengeID.isEmpty)
            await expectError(.unimplemented) { try await mfad.client.readOutbox() }
        }
    }

    @Test func testModeStartsAtTheFixedClockAndAdvancesIt() async throws {
        try await withMfad { mfad in
            let info = try await mfad.client.serverInfo()
            #expect(info.testMode == true)
            let now = try await mfad.advanceClock(90)
            #expect(now == testClockStart + 90)
            let outbox = try await mfad.client.readOutbox()
            #expect(outbox.messages.isEmpty)
        }
    }
}
