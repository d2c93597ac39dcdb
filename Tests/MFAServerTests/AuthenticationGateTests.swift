import MFAServer
import MFAWire
import NIOCore
import Testing

/// Accepts `Authenticate` with the key "good-key" (after a short delay, so later frames queue).
struct KeyCheckingDispatcher: RequestDispatcher {
    let supportedRPCs = ["Authenticate", "Ping"]

    func dispatch(_ call: Request.Call, context: RequestContext) -> DispatchOutcome {
        switch call {
        case .authenticate(let request):
            let promise = context.eventLoop.makePromise(of: Response.Result.self)
            context.eventLoop.scheduleTask(in: .milliseconds(30)) {
                if request.apiKey == "good-key" {
                    promise.succeed(.authenticate(AuthenticateResponse(service: request.service)))
                } else {
                    promise.succeed(.error(.make(.unauthenticated, "bad key")))
                }
            }
            return .pending(promise.futureResult)
        case .ping(let ping):
            return .answered(.ping(PingResponse(payload: Array((context.service ?? "none").utf8) + ping.payload)))
        default:
            return .answered(.error(.make(.unimplemented, "not here")))
        }
    }
}

@Suite struct AuthenticationGateTests {
    private func frame(_ id: UInt64, _ call: Request.Call) throws -> [UInt8] {
        let body = try Request(id: id, protocolVersion: 1, call: call).serializedBytes()
        return RawConnection.lengthPrefix(body.count) + body
    }

    @Test func everyCallBeforeAuthenticateAnswersUnauthenticated() async throws {
        let server = try await TestServer.start(dispatcher: KeyCheckingDispatcher()) { $0.requireAuthentication = true }
        let connection = try server.raw()
        try connection.send(frame(1, .ping(PingRequest())))
        #expect(try connection.readResponse().requireError().code == .unauthenticated)
        try connection.send(frame(2, .authenticate(AuthenticateRequest(service: "portal", apiKey: "wrong"))))
        #expect(try connection.readResponse().requireError().code == .unauthenticated)
        try connection.send(frame(3, .ping(PingRequest())))
        #expect(try connection.readResponse().requireError().code == .unauthenticated)
        await server.stop()
    }

    @Test func requestsPipelinedBehindAuthenticateWaitForItsAnswer() async throws {
        let server = try await TestServer.start(dispatcher: KeyCheckingDispatcher()) { $0.requireAuthentication = true }
        let connection = try server.raw()
        try connection.send(frame(1, .authenticate(AuthenticateRequest(service: "portal", apiKey: "good-key")))
                            + frame(2, .ping(PingRequest(payload: [2]))))
        let first = try connection.readResponse()
        #expect(first == Response(id: 1, result: .authenticate(AuthenticateResponse(service: "portal"))))
        let second = try connection.readResponse()
        #expect(second == Response(id: 2, result: .ping(PingResponse(payload: Array("portal".utf8) + [2]))))
        await server.stop()
    }

    @Test func withAuthenticationOffConnectionsActAsDev() async throws {
        let server = try await TestServer.start(dispatcher: KeyCheckingDispatcher())
        let connection = try server.raw()
        try connection.send(frame(1, .ping(PingRequest())))
        #expect(try connection.readResponse() == Response(id: 1, result: .ping(PingResponse(payload: Array("dev".utf8)))))
        await server.stop()
    }
}
