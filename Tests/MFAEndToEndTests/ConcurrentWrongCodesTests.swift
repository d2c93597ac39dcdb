import MFAClient
import MFAWire
import Testing

/// SPEC 2.3 concurrency: 100 wrong codes at once count as 100 attempts, and no more than the
/// allowed number is ever checked before the lock takes effect.
@Suite(.serialized) struct ConcurrentWrongCodesTests {
    /// 10 connections, 10 calls in flight on each.
    static let connections = 10
    static let callsPerConnection = 10

    @Test func hundredWrongCodesAtOnceCheckOnlyThreeAndLockTheRest() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            let clients = try await mfad.connections(Self.connections)
            let codes = Array(repeating: challenge.wrongCode, count: Self.callsPerConnection)

            let answers = await verifyAtOnce(clients, challenge: challenge, codesPerConnection: codes)

            #expect(answers.count == 100)
            #expect(answers.allSatisfy { !$0.succeeded })
            let invalid = answers.compactMap { $0.error?.code == .invalidCode ? $0.error : nil }
            #expect(invalid.map(\.attemptsRemaining).sorted() == [1, 2])
            #expect(invalid.map(\.message).sorted() == [Messages.invalidCodeLastAttempt, Messages.invalidCode].sorted())
            // The attempt that locked and the 97 refused while locked give the same answer.
            #expect(answers.filter { $0.error?.isLocked(retryAfter: 300) == true }.count == 98)

            let kinds = try await mfad.auditKinds(account)
            #expect(kinds.filter { $0 == "code_wrong" }.count == 3)
            #expect(kinds.filter { $0 == "locked" }.count == 1)
            #expect(!kinds.contains("code_ok"))
        }
    }

    @Test func correctCodeInTheSameBurstNeverSucceedsOnceTheLockHolds() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            let clients = try await mfad.connections(Self.connections)
            // On each connection: 10 wrong codes, then the correct one.
            let codes = Array(repeating: challenge.wrongCode, count: Self.callsPerConnection) + [challenge.code]

            let answers = await verifyAtOnce(clients, challenge: challenge, codesPerConnection: codes)
            #expect(answers.count == 110)

            // Which of the two orders happened is up to the scheduler; each must be exactly right.
            let successes = answers.filter(\.succeeded)
            let invalid = answers.compactMap { $0.error?.code == .invalidCode ? $0.error : nil }
            let checked = try await mfad.auditKinds(account).filter { ["code_wrong", "code_ok", "locked"].contains($0) }
            #expect(successes.count <= 1)
            if let success = successes.first {
                // A correct code was checked before the third wrong one: it succeeded, reset the counter
                // and completed the challenge, so every later code of it is just expired. No lock.
                #expect(success.code == challenge.code)
                #expect(invalid.count <= 2)
                #expect(checked == Array(repeating: "code_wrong", count: invalid.count) + ["code_ok"])
                let rest = answers.filter { !$0.succeeded && $0.error?.code != .invalidCode }
                #expect(rest.allSatisfy { $0.error?.code == .codeExpired && $0.error?.message == Messages.codeExpired })
            } else {
                // The lock came first: exactly three codes were checked, and everything else,
                // the correct codes included, got the identical LOCKED answer.
                #expect(invalid.map(\.attemptsRemaining).sorted() == [1, 2])
                #expect(checked == ["code_wrong", "code_wrong", "code_wrong", "locked"])
                #expect(answers.filter { $0.error?.isLocked(retryAfter: 300) == true }.count == 108)
                #expect(answers.filter { $0.code == challenge.code }.allSatisfy { $0.error?.isLocked(retryAfter: 300) == true })
            }
        }
    }
}

/// One `VerifyMfa` of a burst and its answer.
struct BurstAnswer: Sendable {
    let code: String
    let result: Result<VerifyMfaResponse, MFAClientError>

    var succeeded: Bool {
        if case .success = result { return true }
        return false
    }

    var error: MFAClientError? {
        if case .failure(let error) = result { return error }
        return nil
    }
}

/// Sends every code of `codesPerConnection` on every client, all in flight at once (on each
/// connection the calls are started in the order given), and collects every answer.
func verifyAtOnce(_ clients: [MFAClient], challenge: Challenge, codesPerConnection: [String]) async -> [BurstAnswer] {
    let challengeID = challenge.id
    return await withTaskGroup(of: [BurstAnswer].self) { group in
        for client in clients {
            group.addTask {
                await withTaskGroup(of: BurstAnswer.self) { calls in
                    for code in codesPerConnection {
                        calls.addTask {
                            do throws(MFAClientError) {
                                let response = try await client.verifyMfa(VerifyMfaRequest(challengeID: challengeID, code: code))
                                return BurstAnswer(code: code, result: .success(response))
                            } catch {
                                return BurstAnswer(code: code, result: .failure(error))
                            }
                        }
                    }
                    var answers: [BurstAnswer] = []
                    for await answer in calls { answers.append(answer) }
                    return answers
                }
            }
        }
        var all: [BurstAnswer] = []
        for await answers in group { all += answers }
        return all
    }
}
