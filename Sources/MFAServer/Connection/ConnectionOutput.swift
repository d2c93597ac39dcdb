import MFAWire
import NIOCore

/// The outbound side of one connection: frames each response, writes it, and flushes once per
/// event-loop pass, so that answers finishing together share one write system call:
/// - during a read (`readStarted` ... `readCompleted`), at the read's end;
/// - otherwise (an answer from storage or hashing) once the loop has run the other
///   completions already queued.
///
/// It also closes the connection once everything written so far has gone out; after that,
/// nothing more is written.
final class ConnectionOutput {
    private var isReading = false
    private var needsFlush = false
    private var isFlushScheduled = false
    /// The connection is closing: nothing more is written or read.
    private(set) var isClosing = false

    init() {}

    /// A read of the socket began (`channelRead`).
    func readStarted() {
        isReading = true
    }

    /// The read is over (`channelReadComplete`): flushes what it answered.
    func readCompleted(context: ChannelHandlerContext) {
        isReading = false
        if needsFlush {
            needsFlush = false
            context.flush()
        }
    }

    /// Flushes answers written outside a read and not flushed yet (after a half-close event).
    func flushOutsideRead(context: ChannelHandlerContext) {
        if needsFlush, !isReading {
            needsFlush = false
            context.flush()
        }
    }

    /// Writes `response` as one frame; nothing once closing.
    /// - Throws: `WireEncodingError` when the response cannot be encoded (nothing is written).
    func write(_ response: Response, context: ChannelHandlerContext) throws(WireEncodingError) {
        guard !isClosing else { return }
        var buffer = context.channel.allocator.buffer(capacity: 64)
        try buffer.writeFrame(response)
        write(buffer, context: context)
    }

    private func write(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        context.write(NIOAny(buffer), promise: nil)
        if isReading {
            needsFlush = true
        } else if !isFlushScheduled {
            // Outside a read: flush once the event loop has run the other completions already
            // queued, so that they share one write system call.
            isFlushScheduled = true
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.execute {
                let (output, context) = loopBound.value
                output.isFlushScheduled = false
                context.flush()
            }
        }
    }

    /// Closes the connection once everything written so far has gone out. A plain `close` would
    /// drop answers still waiting for their flush (one scheduled after a storage completion).
    func closeAfterPendingWrites(context: ChannelHandlerContext) {
        isClosing = true
        needsFlush = false
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(capacity: 0))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Writes `text` as it is (not a frame), then closes: the hint to an HTTP client.
    func closeWithText(_ text: String, context: ChannelHandlerContext) {
        isClosing = true
        var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        context.writeAndFlush(NIOAny(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

@available(*, unavailable)
extension ConnectionOutput: Sendable {}
