import MFAWire
import NIOCore

/// Answers a connection the server will not serve with one error frame, then closes it.
final class RefusingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let response: Response

    init(_ response: Response) {
        self.response = response
    }

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        // The message is fixed text without NUL, so encoding cannot fail.
        try? buffer.writeFrame(response)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

@available(*, unavailable)
extension RefusingHandler: Sendable {}
