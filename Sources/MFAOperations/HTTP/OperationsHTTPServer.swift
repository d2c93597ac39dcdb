import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The operations HTTP listener (`--metrics-port`): HTTP/1.1 on its own port, no framework, one
/// answer per connection (`Connection: close`). Run it as a swift-service-lifecycle `Service`; on
/// graceful shutdown it stops listening and returns.
public final class OperationsHTTPServer: Service, Sendable {
    private let host: String
    private let port: Int
    private let endpoints: OperationsEndpoints
    private let group: any EventLoopGroup
    private let logger: Logger
    /// The listening channel, set by `start` and closed by shutdown (different threads).
    private let listener = NIOLockedValueBox<(any Channel)?>(nil)

    /// - Parameters:
    ///   - host: the address to bind (127.0.0.1 by default in mfad).
    ///   - port: the port; 0 picks a free one.
    ///   - endpoints: what to answer.
    ///   - group: the event loops.
    ///   - logger: where the listener logs.
    public init(host: String, port: Int, endpoints: OperationsEndpoints,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.host = host
        self.port = port
        self.endpoints = endpoints
        self.group = group
        self.logger = logger
    }

    /// Binds the port.
    /// - Returns: the bound address.
    /// - Throws: when the address cannot be bound (e.g. the port is taken).
    @discardableResult
    public func start() async throws -> SocketAddress {
        let endpoints = self.endpoints
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(OperationsHTTPHandler(endpoints: endpoints, logger: logger))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        listener.withLockedValue { $0 = channel }
        guard let address = channel.localAddress else { throw ChannelError.unknownLocalAddress }
        logger.info("operations endpoint listening", metadata: ["address": "\(address)", "paths": "/metrics /healthz /readyz"])
        return address
    }

    /// Serves until graceful shutdown, then closes the listener.
    public func run() async throws {
        if listener.withLockedValue({ $0 }) == nil { try await start() }
        guard let channel = listener.withLockedValue({ $0 }) else { return }
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
        logger.info("operations endpoint stopped")
    }
}

/// One HTTP connection: answers the first request and closes.
final class OperationsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let endpoints: OperationsEndpoints
    private let logger: Logger
    private var request: HTTPRequestHead?
    private var answered = false

    init(endpoints: OperationsEndpoints, logger: Logger) {
        self.endpoints = endpoints
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break  // no endpoint takes a body
        case .end:
            guard let head = request, !answered else { return }
            answered = true
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let endpoints = self.endpoints
        let method = head.method.rawValue
        let uri = head.uri
        let promise = context.eventLoop.makePromise(of: OperationsEndpoints.Answer.self)
        promise.completeWithTask { await endpoints.answer(method: method, path: uri) }
        promise.futureResult.assumeIsolated().whenSuccess { answer in
            guard context.channel.isActive else { return }  // the client gave up
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: answer.contentType)
            headers.add(name: "Content-Length", value: "\(answer.body.count)")
            headers.add(name: "Connection", value: "close")
            headers.add(name: "Cache-Control", value: "no-store")
            context.write(self.wrapOutboundOut(.head(HTTPResponseHead(
                version: head.version, status: HTTPResponseStatus(statusCode: answer.status), headers: headers))), promise: nil)
            if head.method != .HEAD {
                context.write(self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: answer.body)))),
                              promise: nil)
            }
            context.writeAndFlush(self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("operations connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension OperationsHTTPHandler: Sendable {}
