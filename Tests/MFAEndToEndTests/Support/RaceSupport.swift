import MFAClient
import MFAWire
import Testing

/// Sends `code` for every challenge of `attempts`, each on its own node's client, all in flight at
/// once, and collects every answer.
/// - Parameter attempts: one `(node, challengeID)` pair per call.
func verifyAtOnce(_ attempts: [(node: TestMfad, challengeID: String)], code: String) async -> [BurstAnswer] {
    let calls = attempts.map { (client: $0.node.client, challengeID: $0.challengeID) }
    return await withTaskGroup(of: BurstAnswer.self) { group in
        for call in calls {
            group.addTask {
                do throws(MFAClientError) {
                    let response = try await call.client.verifyMfa(VerifyMfaRequest(challengeID: call.challengeID, code: code))
                    return BurstAnswer(code: code, result: .success(response))
                } catch {
                    return BurstAnswer(code: code, result: .failure(error))
                }
            }
        }
        var answers: [BurstAnswer] = []
        for await answer in group { answers.append(answer) }
        return answers
    }
}

/// One code raced on three challenges of one account: exactly one call is accepted, and the two
/// others get the answer of a used code, each counted as a wrong attempt (2, then 1 remaining).
/// - Returns: the session of the accepted call.
@discardableResult
func expectAcceptedOnce(_ answers: [BurstAnswer], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try #require(answers.count == 3, sourceLocation: sourceLocation)
    let accepted = answers.compactMap { answer -> VerifyMfaResponse? in
        if case .success(let response) = answer.result { return response }
        return nil
    }
    #expect(accepted.count == 1, "accepted \(accepted.count) times: \(answers.map(\.result))", sourceLocation: sourceLocation)
    let refused = answers.compactMap(\.error)
    #expect(refused.allSatisfy { $0.code == .invalidCode }, "\(refused)", sourceLocation: sourceLocation)
    #expect(refused.map(\.attemptsRemaining).sorted() == [1, 2], "\(refused)", sourceLocation: sourceLocation)
    #expect(refused.map(\.message).sorted() == [Messages.invalidCodeLastAttempt, Messages.invalidCode].sorted(),
            sourceLocation: sourceLocation)
    let session = try #require(accepted.first?.sessionToken, sourceLocation: sourceLocation)
    #expect(!session.isEmpty, sourceLocation: sourceLocation)
    return session
}
