import MFAClient
import MFAConformance
import MFAWire
import Testing

/// README (protocol decisions): a client that pipelines requests and then half-closes
/// (`shutdown(SHUT_WR)`) gets every request answered exactly once, those held back by
/// `--max-in-flight` too, and then the server closes the connection.
@Suite(.serialized) struct HalfCloseTests {
    /// A small in-flight limit, so that most pipelined frames wait behind the back-pressure.
    static let arguments = ["--max-in-flight", "4"]

    @Test func pipelinedRequestsAreAllAnsweredAfterAHalfClose() async throws {
        try await withMfad(extraArguments: Self.arguments) { mfad in
            let alice = try await mfad.enforcedAccount("alice@example.com")
            let bob = try await mfad.createAccount("bob@example.com")
            let challenge = try await mfad.loginForCode(alice)
            let bobEmailsBefore = try await mfad.emails(to: bob.email).count

            var calls: [Request.Call] = [.authenticate(Self.authenticate)]
            calls += (0..<50).map { .ping(PingRequest(payload: [UInt8(truncatingIfNeeded: $0)])) }
            calls.append(.verifyMfa(VerifyMfaRequest(challengeID: challenge.id, code: challenge.code)))
            calls.append(.login(LoginRequest(email: bob.email, password: bob.password, clientInfo: "half-close")))
            calls += (0..<10).map { _ in .ping(PingRequest()) }
            let connection = try FrameConnection(port: mfad.process.port)
            try connection.send(try Self.frames(calls))
            connection.shutdownWrite()

            let answers = try Self.readUntilClosed(connection)
            #expect(answers.map(\.id).sorted() == Array(1...UInt64(calls.count)), "every request answered exactly once")
            let byID = Dictionary(answers.map { ($0.id, $0.result) }, uniquingKeysWith: { first, _ in first })
            guard case .verifyMfa(let verified) = byID[52] else {
                Issue.record("VerifyMfa answered \(String(describing: byID[52]))")
                return
            }
            // The session the VerifyMfa issued arrived, and it works.
            #expect(try await mfad.validate(verified.sessionToken).accountID == alice.id)
            guard case .login(let login) = byID[53] else {
                Issue.record("Login answered \(String(describing: byID[53]))")
                return
            }
            // MFA is enforced for Bob too: his login's challenge and its email are both there.
            #expect(!login.challengeID.isEmpty)
            #expect(try await mfad.emails(to: bob.email).count == bobEmailsBefore + 1)
        }
    }

    @Test func morePipelinedPingsThanTheInFlightLimitAreAllAnswered() async throws {
        try await withMfad(extraArguments: Self.arguments) { mfad in
            let calls: [Request.Call] = [.authenticate(Self.authenticate)] + (0..<200).map { _ in .ping(PingRequest(payload: [7])) }
            let connection = try FrameConnection(port: mfad.process.port)
            try connection.send(try Self.frames(calls))
            connection.shutdownWrite()

            let answers = try Self.readUntilClosed(connection)
            #expect(answers.map(\.id).sorted() == Array(1...UInt64(calls.count)))
            #expect(answers.filter { if case .ping = $0.result { true } else { false } }.count == 200)
        }
    }

    @Test func aFrameCutByTheHalfCloseGetsMalformedFrameAfterTheOtherAnswers() async throws {
        try await withMfad(extraArguments: Self.arguments) { mfad in
            let calls: [Request.Call] = [.authenticate(Self.authenticate)] + (0..<20).map { _ in .ping(PingRequest()) }
            let cut = try Self.frames([.ping(PingRequest(payload: Array(repeating: 1, count: 32)))])
            let connection = try FrameConnection(port: mfad.process.port)
            try connection.send(try Self.frames(calls) + cut.prefix(cut.count - 10))
            connection.shutdownWrite()

            let answers = try Self.readUntilClosed(connection)
            try #require(answers.count == calls.count + 1)
            #expect(answers.dropLast().map(\.id).sorted() == Array(1...UInt64(calls.count)))
            let last = try #require(answers.last)
            guard case .error(let error) = last.result else {
                Issue.record("the last answer is not an error: \(last)")
                return
            }
            #expect(last.id == 0)
            #expect(error.code == .malformedFrame)
        }
    }

    @Test func aHalfCloseWithNothingInFlightClosesAtOnce() async throws {
        try await withMfad(extraArguments: Self.arguments) { mfad in
            let connection = try FrameConnection(port: mfad.process.port)
            try connection.send(try Self.frames([.authenticate(Self.authenticate)]))
            _ = try connection.readFrame()
            connection.shutdownWrite()
            #expect(try Self.readUntilClosed(connection).isEmpty)
            // The server still serves other connections.
            _ = try await mfad.client.ping(PingRequest())
        }
    }

    static let authenticate = AuthenticateRequest(service: MFAClient.Credentials.endToEnd.service,
                                                  apiKey: MFAClient.Credentials.endToEnd.apiKey)

    /// The calls as consecutive frames, ids 1, 2, ...
    static func frames(_ calls: [Request.Call]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, call) in calls.enumerated() {
            let body = try Request(id: UInt64(index + 1), protocolVersion: ProtocolVersion.current, call: call).serializedBytes()
            bytes += ScenarioSession.lengthPrefix(body.count) + body
        }
        return bytes
    }

    /// Every response until the server closes; fails on a read timeout (the server kept the
    /// half-closed connection open).
    static func readUntilClosed(_ connection: FrameConnection) throws -> [Response] {
        var responses: [Response] = []
        while true {
            let frame: [UInt8]
            do {
                frame = try connection.readFrame()
            } catch FrameConnection.Failure.closed {
                return responses
            }
            responses.append(try Response(serializedBytes: Array(frame.dropFirst(4))))
        }
    }
}
