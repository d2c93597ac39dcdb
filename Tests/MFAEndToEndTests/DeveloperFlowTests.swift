import MFAConformance
import Foundation
import MFAClient
import MFAWire
import Synchronization
import Testing

/// The embedded default as a developer uses it: no delivery configured, codes read with
/// `mfactl outbox --db`, and the password hashing pool keeping other calls responsive.
@Suite(.serialized) struct DeveloperFlowTests {
    /// Runs the built `mfactl` and returns its exit status and standard output.
    private func mfactl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try MfadProcess.runCommand(arguments, executable: MfadProcess.buildDirectory.appendingPathComponent("mfactl"))
        return (result.status, result.output)
    }

    @Test func mfactlAuthenticatesWithItsServiceAndKeyAndFailsLoudlyWithout() async throws {
        try await withMfad { mfad in
            let server = "127.0.0.1:\(mfad.process.port)"
            let credentials = MFAClient.Credentials.endToEnd
            let info = try mfactl(["info", "--server", server, "--service", credentials.service, "--api-key", credentials.apiKey, "--json"])
            #expect(info.status == 0)
            #expect(info.output.contains("\"test_mode\":true"))
            let refused = try mfactl(["info", "--server", server])
            #expect(refused.status == 1, "a server error exits 1")
            #expect(refused.output.isEmpty)
        }
    }

    @Test func heldEmailCodeIsReadWithMfactlOutboxAndLogsIn() async throws {
        try await withMfad(.outsideTestMode) { mfad in
            let account = try await mfad.createAccount("dev@example.com")
            _ = try await mfad.enforce(from: 1)
            let login = try await mfad.login(account)
            #expect(!login.challengeID.isEmpty)

            let (status, output) = try mfactl(["outbox", "--db", mfad.databasePath, "--json"])
            #expect(status == 0)
            struct Outbox: Decodable {
                struct Message: Decodable { let to: String; let code: String; let state: String }
                let messages: [Message]
            }
            let outbox = try JSONDecoder().decode(Outbox.self, from: Data(output.utf8))
            let message = try #require(outbox.messages.last { $0.to == account.email })
            #expect(message.state == "held")
            let verified = try await mfad.client.verifyMfa(VerifyMfaRequest(challengeID: login.challengeID, code: message.code))
            #expect(!verified.sessionToken.isEmpty)
        }
    }

    @Test func aBurstOfLoginsDoesNotHoldUpPings() async throws {
        try await withMfad { mfad in
            let client = mfad.client
            // 40 logins (distinct unknown emails, so no throttle cuts them short) queue on the two hashing threads; a ping sent after them must not wait
            // for them: it is answered while most logins are still being hashed.
            let finishedLogins = ManagedCounter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        _ = try? await client.login(LoginRequest(email: "nobody\(index)@example.com", password: "wrong password 1"))
                        finishedLogins.increment()
                    }
                }
                try await Task.sleep(for: .milliseconds(20))
                let pong = try await client.ping(PingRequest(payload: [7]))
                #expect(pong.payload == [7])
                #expect(finishedLogins.value < 40, "the ping was answered only after every login")
                try await group.waitForAll()
            }
        }
    }
}

/// A counter shared by concurrent tasks.
final class ManagedCounter: Sendable {
    private let storage = Mutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}
