import Logging
import MFACore
import MFACrypto
import MFAExecutors
import MFAServer
import MFAStore
import MFAWire
import NIOCore
import NIOPosix

/// The `dispatch` fuzz target: the input is one frame body. It is decoded as a `Request` the way
/// the server decodes it and its call goes through the server's real dispatch path,
/// `SystemDispatcher`, `ServiceDispatcher` then `TestModeDispatcher`, over an `MFAService` on an in-memory SQLite store
/// (manual clock, seeded randomness, cheap Argon2, a fixed master key, and the conformance API key
/// registered so `Authenticate` can succeed). The answer must encode as a `Response` frame and
/// decode back to the same value.
///
/// The connection's own gates are not in this path: every decoded call is dispatched whatever its
/// `protocol_version` and without a prior `Authenticate`, so the fuzzer reaches every RPC at once.
///
/// One environment serves many inputs (building one costs a database and a password hash), so a
/// finding may depend on state left by earlier inputs; the regression replay runs each file on a
/// fresh environment.
public final class DispatchFuzzHarness: Sendable {
    /// The calling service registered in the store (as `ConformanceServer.service`).
    public static let service = "conformance"
    /// Its API key (as `ConformanceServer.apiKey`), so the conformance seeds authenticate.
    public static let apiKey = "mfak_conformance-test-key-not-a-secret"

    /// The dispatch chain the server would use.
    public let dispatcher: SystemDispatcher
    /// The store, closed by `close()`.
    let storage: SQLiteMFAStorage
    /// Runs the request tasks and completes their futures; one thread, owned by this harness.
    let group: MultiThreadedEventLoopGroup
    /// The executor of the group's loop, made once (as the server makes one per loop).
    let taskExecutor: EventLoopTaskExecutor
    let logger = Logger(label: "mfa.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(dispatcher: SystemDispatcher, storage: SQLiteMFAStorage, group: MultiThreadedEventLoopGroup) {
        self.dispatcher = dispatcher
        self.storage = storage
        self.group = group
        self.taskExecutor = EventLoopTaskExecutor(group.next())
    }

    /// Builds a fresh environment: a new in-memory database and service.
    /// - Throws: when the database or the service cannot be set up.
    public static func make() async throws -> DispatchFuzzHarness {
        var configuration = MFAConfiguration()
        // Cheap hashing (as the service tests): the inputs, not Argon2, should take the time.
        configuration.passwordHashing.memoryKiB = 1024
        configuration.passwordHashing.iterations = 1
        let storage = try await SQLiteMFAStorage.openInMemory()
        let clock = ManualClock()
        let random = SeededRandomSource(seed: 1)
        let digester = SecretDigester(key: Array(repeating: 7, count: 32))
        let mfa = try await MFAService(
            storage: storage, clock: clock, random: random, digester: digester,
            vault: SecretVault(current: (id: 1, key: Array(repeating: 9, count: 32))),
            passwords: Argon2PasswordHasher(parameters: configuration.passwordHashing, random: random, concurrency: 1),
            configuration: configuration, testClock: clock)
        let apiKeys = APIKeys(storage: storage, digester: digester, random: random, clock: clock)
        _ = try await apiKeys.create(service: Self.service, key: apiKey)
        let start = clock.now()
        let dispatcher = SystemDispatcher(
            version: "fuzz", testMode: true, uptime: { UInt64(max(0, clock.now().seconds(since: start))) },
            next: ServiceDispatcher(service: mfa, clock: clock, apiKeys: apiKeys, next: TestModeDispatcher(service: mfa)))
        return DispatchFuzzHarness(dispatcher: dispatcher, storage: storage,
                                   group: MultiThreadedEventLoopGroup(numberOfThreads: 1))
    }

    /// For libFuzzer: an environment built on first use and kept for the life of the process.
    /// libFuzzer calls the target on its own (non-NIO, non-async) thread, so blocking there on
    /// a future completed by a Swift task is safe.
    public static let shared: DispatchFuzzHarness = {
        let bootstrap = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? bootstrap.syncShutdownGracefully() }
        do {
            return try bootstrap.next().makeFutureWithTask { try await make() }.wait()
        } catch {
            FuzzFailure.fail("the dispatch environment could not be built: \(error)")
        }
    }()

    /// Runs one input and blocks until its answer is checked (the libFuzzer entry point).
    /// - Parameter input: a frame body.
    public func runBlocking(_ input: UnsafeRawBufferPointer) {
        guard let (request, call) = Self.decode(input) else { return }
        let result: Response.Result
        do {
            result = try dispatch(call, id: request.id).wait()
        } catch {
            FuzzFailure.fail("the dispatcher failed its future for \(call.rpcName): \(error)")
        }
        Self.check(result, for: request)
    }

    /// Runs one input and waits for its answer to be checked (for tests, which run on Swift's
    /// cooperative threads and must not block them).
    /// - Parameter input: a frame body.
    /// - Returns: the answer, or nil when the input was not dispatched.
    @discardableResult
    public func run(_ input: [UInt8]) async -> Response? {
        guard let (request, call) = input.withUnsafeBytes({ Self.decode($0) }) else { return nil }
        let result: Response.Result
        do {
            result = try await dispatch(call, id: request.id).get()
        } catch {
            FuzzFailure.fail("the dispatcher failed its future for \(call.rpcName): \(error)")
        }
        Self.check(result, for: request)
        return Response(id: request.id, result: result)
    }

    /// Closes the store and stops the event loop thread.
    public func close() async {
        await storage.close()
        try? await group.shutdownGracefully()
    }

    /// Decodes a frame body as the server does; nil when the server would answer without
    /// dispatching (a refused envelope, or no call).
    static func decode(_ input: UnsafeRawBufferPointer) -> (Request, Request.Call)? {
        guard let request = MessageChecks.decode(Request.self, ByteBuffer(bytes: input)),
              let call = request.call
        else { return nil }
        return (request, call)
    }

    /// Hands `call` to the dispatchers on the event loop, as the connection handler does.
    func dispatch(_ call: Request.Call, id: UInt64) -> EventLoopFuture<Response.Result> {
        let loop = taskExecutor.eventLoop
        let context = RequestContext(requestID: id, peer: "127.0.0.1:40000", peerIP: "127.0.0.1",
                                     service: Self.service, taskExecutor: taskExecutor, logger: logger)
        return loop.flatSubmit { [dispatcher] in
            switch dispatcher.dispatch(call, context: context) {
            case .answered(let result): loop.makeSucceededFuture(result)
            case .pending(let future): future
            }
        }
    }

    /// The answer must go on the wire: it encodes as a frame and decodes back unchanged.
    static func check(_ result: Response.Result, for request: Request) {
        MessageChecks.roundTrip(Response(id: request.id, result: result))
    }
}
