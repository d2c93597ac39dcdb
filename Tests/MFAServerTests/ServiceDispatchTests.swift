import Logging
import MFACore
import MFACrypto
import MFAExecutors
@testable import MFAServer
import MFAStore
import MFAStorageTestSupport
import MFAWire
import NIOCore
import NIOPosix
import Testing

/// The service's dispatchers over a real `MFAService` (in-memory SQLite, cheap hashing): the
/// test-mode RPCs exist only when their dispatcher is added, and request tasks run on the
/// connection's event loop.
@Suite struct ServiceDispatchTests {
    /// A production or test-mode service, and the dispatch chain mfad builds for it.
    struct Environment {
        let storage: SQLiteMFAStorage
        let dispatcher: SystemDispatcher
        let serviceDispatcher: ServiceDispatcher

        static func make(testMode: Bool) async throws -> Environment {
            let storage = try await SQLiteMFAStorage.openInMemory()
            let clock = ManualClock()
            let random = SeededRandomSource(seed: 1)
            let digester = TestService.digester
            let service = try await TestService.make(storage: storage, clock: clock, random: random, testMode: testMode,
                                                     hashingThreads: 1)
            let serviceDispatcher = ServiceDispatcher(
                service: service, clock: clock, apiKeys: APIKeys(storage: storage, digester: digester, random: random, clock: clock),
                next: testMode ? TestModeDispatcher(service: service) : nil)
            return Environment(storage: storage, dispatcher: SystemDispatcher(version: "test", testMode: testMode, next: serviceDispatcher),
                               serviceDispatcher: serviceDispatcher)
        }
    }

    static let testOnlyAnswer = Response.Result.error(ErrorDetails(
        code: .unimplemented, message: "This call exists only in test mode (mfad --test-mode)."))

    @Test func withoutTestModeTheTestOnlyRPCsAnswerUnimplementedOverTheRealServer() async throws {
        let environment = try await Environment.make(testMode: false)
        let server = try await TestServer.start(dispatcher: InstrumentedDispatcher(next: environment.dispatcher))
        let connection = try server.raw()
        try connection.send(Request(id: 1, protocolVersion: 1, call: .advanceClock(AdvanceClockRequest(seconds: 60))))
        #expect(try connection.readResponse() == Response(id: 1, result: Self.testOnlyAnswer))
        try connection.send(Request(id: 2, protocolVersion: 1, call: .readOutbox(ReadOutboxRequest())))
        #expect(try connection.readResponse() == Response(id: 2, result: Self.testOnlyAnswer))
        try connection.send(Request(id: 3, protocolVersion: 1, call: .serverInfo(ServerInfoRequest())))
        guard case .serverInfo(let info)? = try connection.readResponse().result else {
            Issue.record("ServerInfo did not answer")
            return
        }
        #expect(!info.testMode)
        #expect(info.rpcs == ["Ping", "ServerInfo"] + Request.Call.allRPCNames.filter {
            !["Ping", "ServerInfo", "AdvanceClock", "ReadOutbox"].contains($0)
        })
        await server.stop()
        await environment.storage.close()
    }

    @Test func withTestModeTheyAreServedAndListedLast() async throws {
        let environment = try await Environment.make(testMode: true)
        let server = try await TestServer.start(dispatcher: environment.dispatcher)
        let connection = try server.raw()
        try connection.send(Request(id: 1, protocolVersion: 1, call: .advanceClock(AdvanceClockRequest(seconds: 60))))
        #expect(try connection.readResponse() == Response(id: 1, result: .advanceClock(AdvanceClockResponse(
            nowUnix: Timestamp.testModeStart.unixSeconds + 60))))
        try connection.send(Request(id: 2, protocolVersion: 1, call: .readOutbox(ReadOutboxRequest())))
        #expect(try connection.readResponse() == Response(id: 2, result: .readOutbox(ReadOutboxResponse())))
        try connection.send(Request(id: 3, protocolVersion: 1, call: .serverInfo(ServerInfoRequest())))
        guard case .serverInfo(let info)? = try connection.readResponse().result else {
            Issue.record("ServerInfo did not answer")
            return
        }
        #expect(info.testMode)
        // The order of ping.exchange: Ping, ServerInfo, then the .proto's, test-mode RPCs last.
        #expect(info.rpcs == ["Ping", "ServerInfo"] + Request.Call.allRPCNames.filter { !["Ping", "ServerInfo"].contains($0) })
        await server.stop()
        await environment.storage.close()
    }

    @Test func theProductionDispatcherNamesNoTestOnlyRPC() {
        #expect(Set(ServiceDispatcher.rpcNames).isDisjoint(with: TestModeDispatcher.rpcNames))
        #expect(ServiceDispatcher.rpcNames + TestModeDispatcher.rpcNames
                == Request.Call.allRPCNames.filter { !["Ping", "ServerInfo"].contains($0) })
    }

    @Test func answersDecidedBeforeAnyWaitingNeedNoTask() async throws {
        let environment = try await Environment.make(testMode: false)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = RequestContext(requestID: 1, peer: "10.0.0.9:1", peerIP: "10.0.0.9", service: "dev",
                                     taskExecutor: EventLoopTaskExecutor(group.next()), logger: Logger(label: "test"))
        guard case .answered(let answer) = environment.serviceDispatcher.dispatch(
            .advanceClock(AdvanceClockRequest(seconds: 1)), context: context) else {
            Issue.record("a call no dispatcher serves started work")
            return
        }
        #expect(answer == Self.testOnlyAnswer)
        // Ten wrong keys from one address, then the eleventh is refused before any key check.
        for _ in 0..<10 {
            guard case .pending(let future) = environment.serviceDispatcher.dispatch(
                .authenticate(AuthenticateRequest(service: "portal", apiKey: "wrong")), context: context) else {
                Issue.record("an Authenticate that needs a key check was answered at once")
                return
            }
            guard case .error(let error) = try await future.get() else { return }
            #expect(error.code == .unauthenticated)
        }
        guard case .answered(.error(let limited)) = environment.serviceDispatcher.dispatch(
            .authenticate(AuthenticateRequest(service: "portal", apiKey: "wrong")), context: context) else {
            Issue.record("a rate-limited Authenticate was not answered at once")
            return
        }
        #expect(limited.code == .rateLimited)
        #expect(limited.retryAfterSeconds > 0)
        try await group.shutdownGracefully()
        await environment.storage.close()
    }

    actor Elsewhere {
        func visit() {}
    }

    @Test func aRequestTaskRunsOnTheConnectionsLoopAndComesBackToItAfterAwaiting() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let executors = EventLoopTaskExecutors(group)
        let loop = group.next()
        let context = RequestContext(requestID: 1, peer: "127.0.0.1:1", peerIP: "127.0.0.1", service: "dev",
                                     taskExecutor: executors.executor(for: loop), logger: Logger(label: "test"))
        #expect(executors.executor(for: loop) === context.taskExecutor, "one executor per loop, made once")
        let elsewhere = Elsewhere()
        let outcome = context.answerLater(.ping(PingRequest())) { () async throws(MFAError) -> Response.Result in
            let before = loop.inEventLoop
            await elsewhere.visit()
            let after = loop.inEventLoop
            return .ping(PingResponse(payload: [before ? 1 : 0, after ? 1 : 0]))
        }
        guard case .pending(let future) = outcome else {
            Issue.record("answerLater answered at once")
            return
        }
        #expect(future.eventLoop === loop)
        #expect(try await future.get() == .ping(PingResponse(payload: [1, 1])))
        try await group.shutdownGracefully()
    }
}
