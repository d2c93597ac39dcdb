import Foundation
import MFAClient
import MFAConformance
import MFAWire
import Testing

/// SPEC 4: every connection authenticates with an API key made by `mfad keys create`.
@Suite(.serialized) struct CallerAuthenticationTests {
    private func connect(_ mfad: TestMfad, _ credentials: MFAClient.Credentials?) async throws -> MFAClient {
        var configuration = MFAClient.Configuration()
        configuration.credentials = credentials
        return try await MFAClient.connect(host: "127.0.0.1", port: mfad.process.port, configuration: configuration)
    }

    @Test func withoutAuthenticateEveryCallIsRefused() async throws {
        try await withMfad { mfad in
            let anonymous = try await connect(mfad, nil)
            await expectError(.unauthenticated) { try await anonymous.ping(PingRequest()) }
            await expectError(.unauthenticated) { try await anonymous.readOutbox() }
            await anonymous.close()
        }
    }

    @Test func wrongKeysAndOtherServicesAreRefusedAlike() async throws {
        try await withMfad { mfad in
            let cases = [
                MFAClient.Credentials(service: "e2e", apiKey: "mfak_not-the-right-key-at-all"),
                MFAClient.Credentials(service: "other", apiKey: MFAClient.Credentials.endToEnd.apiKey),
            ]
            var messages: Set<String> = []
            for credentials in cases {
                let error = await expectError(.unauthenticated) { try await connect(mfad, credentials) }
                messages.insert(error?.message ?? "")
            }
            #expect(messages.count == 1)
        }
    }

    @Test func aRevokedKeyNoLongerAuthenticatesNewConnections() async throws {
        try await withMfad { mfad in
            let created = try MfadProcess.runCommand(["keys", "create", "batch", "--db", mfad.databasePath, "--test-mode"])
            #expect(created.status == 0)
            let key = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(key.hasPrefix("mfak_"))
            let batch = MFAClient.Credentials(service: "batch", apiKey: key)
            let client = try await connect(mfad, batch)
            #expect(try await client.ping(PingRequest(payload: [1])).payload == [1])
            let listed = try MfadProcess.runCommand(["keys", "list", "--db", mfad.databasePath, "--test-mode"])
            #expect(listed.output.contains("batch"))
            #expect(!listed.output.contains(key), "the key itself is never stored or shown again")
            #expect(try MfadProcess.runCommand(["keys", "revoke", "batch", "--db", mfad.databasePath, "--test-mode"]).status == 0)
            await expectError(.unauthenticated) { try await connect(mfad, batch) }
            await client.close()
        }
    }

    @Test func failedAuthenticationsAreRateLimitedPerPeer() async throws {
        try await withMfad { mfad in
            let wrong = MFAClient.Credentials(service: "e2e", apiKey: "mfak_guessing-guessing-guessing")
            for _ in 0..<10 {
                await expectError(.unauthenticated) { try await connect(mfad, wrong) }
            }
            let limited = await expectError(.rateLimited) { try await connect(mfad, wrong) }
            #expect((limited?.retryAfterSeconds ?? 0) > 0)
            // Even the right key waits out the limit: guessing cannot be mixed with real traffic.
            await expectError(.rateLimited) { try await connect(mfad, .endToEnd) }
        }
    }
}
