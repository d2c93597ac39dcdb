import Logging
import MFAClient
import MFAServer
import MFAWire
import NIOCore
import NIOPosix
import Testing

/// An `MFAServer` on a free loopback port, for tests over real TCP.
struct TestServer {
    let server: MFAServer
    let port: Int

    static func start(
        dispatcher: any RequestDispatcher = SystemDispatcher(version: "test"),
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        var configuration = ServerConfiguration()
        configuration.port = 0
        // These suites test the protocol; AuthenticationGateTests turns authentication on.
        configuration.requireAuthentication = false
        configure(&configuration)
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        let server = MFAServer(configuration: configuration, dispatcher: dispatcher, logger: logger)
        let address = try await server.start()
        guard let port = address.port else { throw ChannelError.unknownLocalAddress }
        return TestServer(server: server, port: port)
    }

    func client() async throws -> MFAClient {
        try await MFAClient.connect(host: "127.0.0.1", port: port)
    }

    func raw(receiveTimeoutSeconds: Int = 5) throws -> RawConnection {
        try RawConnection(port: port, receiveTimeoutSeconds: receiveTimeoutSeconds)
    }

    func stop() async {
        await server.shutdown()
    }
}

/// Answers pings after a delay drawn from the payload, so replies finish out of order, and
/// records the order in which they finished.
final class ShuffledDispatcher: RequestDispatcher, Sendable {
    let supportedRPCs = ["Ping"]

    func dispatch(_ call: Request.Call, context: RequestContext) -> DispatchOutcome {
        guard case .ping(let ping) = call else {
            return .answered(.error(.make(.unimplemented, "test dispatcher answers only pings")))
        }
        // The first payload byte picks the delay: 0-19 ms.
        let delay = Int64(ping.payload.first ?? 0) % 20
        let promise = context.eventLoop.makePromise(of: Response.Result.self)
        context.eventLoop.scheduleTask(in: .milliseconds(delay)) {
            promise.succeed(.ping(PingResponse(payload: ping.payload)))
        }
        return .pending(promise.futureResult)
    }
}

extension Response {
    /// The error this response carries; fails the test when it carries a result instead.
    func requireError(sourceLocation: SourceLocation = #_sourceLocation) throws -> ErrorDetails {
        guard case .error(let error)? = result else {
            Issue.record("expected an error response, got \(String(describing: result))", sourceLocation: sourceLocation)
            throw ExpectedErrorMissing()
        }
        return error
    }
}

struct ExpectedErrorMissing: Error {}
