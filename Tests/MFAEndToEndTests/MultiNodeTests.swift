import MFAConformance
import MFAClient
import MFAWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SPEC 6 "the same service on several nodes sharing PostgreSQL": three `mfad` processes on one
/// database, clients spread across them, everything through TCP. What one node decides, every
/// node honours: attempt limits, used codes, sessions, and what a node acknowledged before a
/// `kill -9`. (Delivery across nodes: MultiNodeDeliveryTests.)
///
/// The time limits are hang guards, not timings: under AddressSanitizer, beside every other
/// suite starting at once on two cores, starting two `mfad` processes took 99 s in CI.
@Suite(.serialized) struct MultiNodeTests {
    /// SPEC 8.1: a node whose master key is not the database's refuses to start (test mode
    /// derives the key from the seed), while another node with the right key keeps serving.
    @Test(.timeLimit(.minutes(3)))
    func aNodeWithAnotherMasterKeyRefusesToStart() async throws {
        try await withCluster(nodes: 1) { cluster in
            do {
                let other = try await MfadProcess(["--test-mode", "--seed", "2", "--db", cluster.database.url])
                _ = try await other.stop()
                Issue.record("a node with another master key started on the shared database")
            } catch MfadProcessError.didNotStart(let log) {
                #expect(log.contains("is not this database's"))
            }
            _ = try await cluster[0].client.ping(PingRequest())
        }
    }

    /// Issue 14.6: AdvanceClock bodies re-run after a serialization failure move the clock once.
    /// Concurrent calls on one PostgreSQL node conflict on the clock's row (and are re-run); the
    /// node's clock and the saved one both end exactly at the sum of the steps.
    @Test(.timeLimit(.minutes(3)))
    func concurrentClockStepsAddUpDespiteRetries() async throws {
        try await withCluster(nodes: 1) { cluster in
            let node = cluster[0]
            let start = try await node.advanceClock(0)
            let clients = try await node.connections(8)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in clients {
                    group.addTask {
                        for _ in 0..<5 { _ = try await client.advanceClock(AdvanceClockRequest(seconds: 1)) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await node.advanceClock(0) == start + 40)
            // The saved clock agrees: a restarted node resumes from it.
            try await node.restart()
            #expect(try await node.advanceClock(0) == start + 40)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func wrongCodesSentToEveryNodeAtOnceCheckOnlyTheAttemptLimit() async throws {
        try await withCluster { cluster in
            let account = try await cluster[0].enforcedAccount()
            let challenge = try await cluster[1].loginForCode(account)
            let clients = try await cluster.connections(perNode: 4)
            let codes = Array(repeating: challenge.wrongCode, count: 10)

            let answers = await verifyAtOnce(clients, challenge: challenge, codesPerConnection: codes)

            #expect(answers.count == 120)
            #expect(answers.allSatisfy { !$0.succeeded })
            let invalid = answers.compactMap { $0.error?.code == .invalidCode ? $0.error : nil }
            #expect(invalid.map(\.attemptsRemaining).sorted() == [1, 2])
            #expect(invalid.map(\.message).sorted() == [Messages.invalidCodeLastAttempt, Messages.invalidCode].sorted())
            // The attempt that locked and the 117 refused while locked give the same answer, on every node.
            #expect(answers.filter { $0.error?.isLocked(retryAfter: 300) == true }.count == 118)

            let kinds = try await cluster[2].auditKinds(account)
            #expect(kinds.filter { $0 == "code_wrong" }.count == 3)
            #expect(kinds.filter { $0 == "locked" }.count == 1)
            #expect(!kinds.contains("code_ok"))
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func oneTOTPCodeSentToEveryNodeAtOnceIsAcceptedOnce() async throws {
        try await withCluster { cluster in
            let totp = try await cluster[0].enrollTOTP(try await cluster[0].createAccount("alice@example.com"))
            let code = try OathTool.code(secret: totp.secret, at: try await cluster.advanceClock(30))
            var attempts: [(node: TestMfad, challengeID: String)] = []
            for node in cluster.nodes {
                attempts.append((node, try await node.totpChallenge(totp.account).challengeID))
            }

            let session = try expectAcceptedOnce(await verifyAtOnce(attempts, code: code))

            #expect(try await cluster[2].validate(session).accountID == totp.account.id)
            let kinds = try await cluster[1].auditKinds(totp.account, since: totp.confirmedAt + 1)
            #expect(kinds.filter { $0 == "code_wrong" }.count == 2)
            #expect(kinds.filter { $0 == "code_ok" }.count == 1)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func oneRecoveryCodeSentToEveryNodeAtOnceIsAcceptedOnce() async throws {
        try await withCluster { cluster in
            let totp = try await cluster[1].enrollTOTP(try await cluster[0].createAccount("alice@example.com"))
            var attempts: [(node: TestMfad, challengeID: String)] = []
            for node in cluster.nodes {
                attempts.append((node, try await node.totpChallenge(totp.account).challengeID))
            }

            let session = try expectAcceptedOnce(await verifyAtOnce(attempts, code: totp.recoveryCodes[0]))

            #expect(try await cluster[0].validate(session).accountID == totp.account.id)
            let kinds = try await cluster[2].auditKinds(totp.account)
            #expect(kinds.filter { $0 == "recovery_code_used" }.count == 1)
            #expect(kinds.filter { $0 == "code_wrong" }.count == 2)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func sessionsAndLogoutsAreSeenByEveryNode() async throws {
        try await withCluster { cluster in
            let account = try await cluster[0].enforcedAccount()
            // The code is asked on one node and checked on another.
            let challenge = try await cluster[0].loginForCode(account)
            let session = try await cluster[1].verifyCorrect(challenge).sessionToken
            let other = try await cluster[2].verifyCorrect(try await cluster[2].loginForCode(account)).sessionToken
            for node in cluster.nodes {
                #expect(try await node.validate(session).accountID == account.id)
            }

            _ = try await cluster[2].client.logout(LogoutRequest(sessionToken: session))

            for node in cluster.nodes {
                await expectError(.invalidSession) { try await node.validate(session) }
                #expect(try await node.validate(other).accountID == account.id)
            }
            await expectError(.invalidSession) { try await cluster[0].client.logout(LogoutRequest(sessionToken: session)) }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func whatAKilledNodeAcknowledgedIsHonouredByTheSurvivor() async throws {
        try await withCluster(nodes: 2) { cluster in
            let (doomed, survivor) = (cluster[0], cluster[1])
            // A session made with an email code (the code is now used).
            let alice = try await doomed.enforcedAccount()
            let aliceChallenge = try await doomed.loginForCode(alice)
            let aliceSession = try await doomed.verifyCorrect(aliceChallenge).sessionToken
            // A TOTP code accepted by the doomed node.
            let carol = try await doomed.createAccount("carol@example.com")
            let carolEnrolment = try await doomed.verifyCorrect(try await doomed.loginForCode(carol)).sessionToken
            let totp = try await doomed.enrollTOTP(carol, session: carolEnrolment)
            let code = try OathTool.code(secret: totp.secret, at: try await cluster.advanceClock(30))
            let carolSession = try await doomed.verify(try await doomed.totpChallenge(carol).challengeID, code: code).sessionToken
            // A lock, the last thing the doomed node answers.
            let bob = try await doomed.createAccount("bob@example.com")
            let bobChallenge = try await doomed.loginForCode(bob)
            await doomed.lock(bobChallenge)

            try await doomed.stop(signal: SIGKILL)

            #expect(try await survivor.validate(aliceSession).accountID == alice.id)
            #expect(try await survivor.validate(carolSession).accountID == carol.id)
            await expectCodeExpired { try await survivor.verifyCorrect(aliceChallenge) }
            let again = try await survivor.totpChallenge(carol)
            await expectInvalidCode(attemptsRemaining: 2) { try await survivor.verify(again.challengeID, code: code) }
            await expectLocked(retryAfter: 300) { try await survivor.verifyCorrect(bobChallenge) }
            let bobKinds = try await survivor.auditKinds(bob)
            #expect(bobKinds.filter { $0 == "code_wrong" }.count == 3)
            #expect(bobKinds.filter { $0 == "locked" }.count == 1)
        }
    }
}
