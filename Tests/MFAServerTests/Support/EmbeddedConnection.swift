import Logging
import MFAExecutors
@testable import MFAServer
import MFAWire
import NIOCore
import NIOEmbedded

/// The server's real connection pipeline (`FrameDecodingHandler`, `ConnectionHandler`) on an
/// `EmbeddedChannel`: nothing runs unless the test runs it, so a test can tell what happens in
/// the same event-loop turn as a read from what waits for the loop.
final class EmbeddedConnection {
    let channel: EmbeddedChannel
    let flushes = FlushCounter()

    init(dispatcher: any RequestDispatcher, metrics: ServerMetrics = ServerMetrics(factory: CountingMetricsFactory()),
         maximumInFlight: Int = 128, requireAuthentication: Bool = false) throws {
        channel = EmbeddedChannel()
        var logger = Logger(label: "embedded-connection")
        logger.logLevel = .critical
        let handler = ConnectionHandler(
            dispatcher: dispatcher, metrics: metrics, taskExecutor: EventLoopTaskExecutor(channel.embeddedEventLoop),
            logger: logger, peer: "127.0.0.1:40000", peerIP: "127.0.0.1", maximumInFlight: maximumInFlight,
            requireAuthentication: requireAuthentication)
        try channel.pipeline.syncOperations.addHandler(flushes)
        try channel.pipeline.syncOperations.addHandler(FrameDecodingHandler(
            maximumFrameLength: FrameDecoder.defaultMaximumFrameLength, frameTimeout: nil))
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7370)).wait()
    }

    /// The pipeline holds the channel and the channel its pipeline until the channel is closed:
    /// finishing it here breaks that cycle for every test, whatever the test left open.
    deinit {
        _ = try? channel.finish(acceptAlreadyClosed: true)
    }

    /// Delivers `requests` as one read of the socket (a `channelRead` and `channelReadComplete`).
    func send(_ requests: [Request]) throws {
        var buffer = channel.allocator.buffer(capacity: 256)
        for request in requests {
            try buffer.writeFrame(request)
        }
        try channel.writeInbound(buffer)
    }

    /// Every response flushed so far (written but unflushed ones are not there yet).
    func flushedResponses() throws -> [Response] {
        var responses: [Response] = []
        let decoder = FrameDecoder()
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            while let frame = try decoder.decode(&buffer) {
                responses.append(try Response(buffer: frame))
            }
        }
        return responses
    }
}

/// Counts the flushes that reach the socket.
final class FlushCounter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private(set) var count = 0

    func flush(context: ChannelHandlerContext) {
        count += 1
        context.flush()
    }
}

@available(*, unavailable)
extension FlushCounter: Sendable {}

@available(*, unavailable)
extension EmbeddedConnection: Sendable {}
