import Logging
import MFAExecutors
import MFAWire
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// The mfad TCP server: accepts connections, frames them, and hands each request to a
/// `RequestDispatcher`. Run it as a swift-service-lifecycle `Service`: on graceful shutdown it
/// stops accepting, lets in-flight requests finish (answering new ones `UNAVAILABLE`), then
/// closes every connection.
public final class MFAServer: Service, Sendable {
    private let configuration: ServerConfiguration
    private let dispatcher: any RequestDispatcher
    private let group: any EventLoopGroup
    /// One task executor per loop of `group`, made once: request tasks run on their
    /// connection's loop.
    private let executors: EventLoopTaskExecutors
    private let metrics: ServerMetrics
    private let logger: Logger
    /// The listening channel and the open connections, guarded by one lock because accept,
    /// close and shutdown happen on different threads.
    private let state = NIOLockedValueBox(State())

    private struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var isShuttingDown = false
    }

    /// - Parameters:
    ///   - configuration: address, limits and timeouts.
    ///   - dispatcher: what answers the requests.
    ///   - group: the event loops for the listener and connections.
    ///   - metricsFactory: the backend of the server's own metrics (connections, requests
    ///     rejected before dispatch); by default the one of `MetricsSystem.bootstrap`.
    ///   - logger: where the server logs; it never logs request contents.
    public init(configuration: ServerConfiguration, dispatcher: any RequestDispatcher,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                metricsFactory: any MetricsFactory = MetricsSystem.factory, logger: Logger) {
        self.configuration = configuration
        self.dispatcher = dispatcher
        self.group = group
        self.executors = EventLoopTaskExecutors(group)
        self.metrics = ServerMetrics(factory: metricsFactory)
        self.logger = logger
    }

    /// Binds the listening socket.
    /// - Returns: the bound address (useful with port 0).
    /// - Throws: when the address cannot be bound.
    @discardableResult
    public func start() async throws -> SocketAddress {
        let configuration = self.configuration
        let dispatcher = self.dispatcher
        let executors = self.executors
        let metrics = self.metrics
        let logger = self.logger
        let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A peer's shutdown(SHUT_WR) is `ChannelEvent.inputClosed`, not a close: ConnectionHandler
            // answers what was sent, then closes (README, protocol decisions).
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [weak self] channel in
                guard let self else { return channel.close() }
                switch self.register(channel) {
                case .shuttingDown:
                    return channel.close()
                case .full:
                    logger.warning("refusing a connection: maximumConnections reached",
                                   metadata: ["maximum": "\(configuration.maximumConnections)"])
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RefusingHandler(
                            Response(result: .error(.make(.unavailable, "too many connections; try again later")))))
                    }
                case .accepted:
                    break
                }
                return channel.eventLoop.makeCompletedFuture {
                    let peer = channel.remoteAddress.map { "\($0)" } ?? "unknown"
                    let peerIP = channel.remoteAddress?.ipAddress ?? "unknown"
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try pipeline.addHandler(IdleStateHandler(readTimeout: configuration.idleTimeout))
                    try pipeline.addHandler(FrameDecodingHandler(
                        maximumFrameLength: configuration.maximumFrameLength, frameTimeout: configuration.frameTimeout))
                    try pipeline.addHandler(ConnectionHandler(
                        dispatcher: dispatcher, metrics: metrics, taskExecutor: executors.executor(for: channel.eventLoop),
                        logger: logger, peer: peer, peerIP: peerIP,
                        maximumInFlight: configuration.maximumInFlightPerConnection,
                        requireAuthentication: configuration.requireAuthentication))
                }
            }
        let listener = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        state.withLockedValue { $0.listener = listener }
        let address = listener.localAddress
        logger.notice("listening", metadata: ["address": "\(address.map { "\($0)" } ?? "?")"])
        guard let address else { throw ChannelError.unknownLocalAddress }
        return address
    }

    /// True once a graceful stop has begun: the server accepts no connection and answers new
    /// requests `UNAVAILABLE` (readiness reports not ready from then on).
    public var isShuttingDown: Bool {
        state.withLockedValue { $0.isShuttingDown }
    }

    /// Runs until graceful shutdown is requested (or the listener closes), then drains.
    public func run() async throws {
        let listener: (any Channel)? = state.withLockedValue { $0.listener }
        if listener == nil { try await start() }
        guard let listener = state.withLockedValue({ $0.listener }) else { return }
        try await withGracefulShutdownHandler {
            try await listener.closeFuture.get()
        } onGracefulShutdown: {
            listener.close(promise: nil)
        }
        await drain()
    }

    /// Stops accepting and closes every connection once its in-flight requests are answered,
    /// or when the grace period is over.
    public func shutdown() async {
        let listener = state.withLockedValue { $0.listener }
        try? await listener?.close()
        await drain()
    }

    private func drain() async {
        let connections: [any Channel] = state.withLockedValue { state in
            state.isShuttingDown = true
            return Array(state.connections.values)
        }
        logger.info("draining connections", metadata: ["connections": "\(connections.count)"])
        for channel in connections {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let deadline = NIODeadline.now() + configuration.shutdownGracePeriod
        for channel in connections {
            let remaining = deadline - .now()
            let timeout = channel.eventLoop.scheduleTask(in: max(remaining, .zero)) {
                channel.close(promise: nil)
            }
            try? await channel.closeFuture.get()
            timeout.cancel()
        }
        logger.info("server stopped")
    }

    private enum Admission {
        case accepted
        case full
        case shuttingDown
    }

    /// Records a new connection; refuses it once shutdown has begun or the server is full.
    private func register(_ channel: any Channel) -> Admission {
        let id = ObjectIdentifier(channel)
        let maximum = configuration.maximumConnections
        let admission = state.withLockedValue { state -> Admission in
            guard !state.isShuttingDown else { return .shuttingDown }
            guard state.connections.count < maximum else { return .full }
            state.connections[id] = channel
            return .accepted
        }
        guard admission == .accepted else {
            if admission == .full { metrics.connectionsRefused.increment() }
            return admission
        }
        let open = metrics.connectionsOpen
        open.increment()
        metrics.connectionsAccepted.increment()
        channel.closeFuture.whenComplete { [weak self] _ in
            // The slot first, then the gauge: once the gauge reads 0, a new connection is accepted.
            self?.state.withLockedValue { _ = $0.connections.removeValue(forKey: id) }
            open.decrement()
        }
        return .accepted
    }
}
