import NIOCore

/// The inbound half of the framing: gathers bytes, passes on one `ByteBuffer` per whole frame,
/// and closes a connection that leaves a frame half-sent for longer than `frameTimeout`
/// (a slow or stalled sender). A too-large length prefix is reported through `errorCaught` as
/// `FrameError.frameTooLarge` and the handler stops reading frames.
///
/// When the peer half-closes (`ChannelEvent.inputClosed`, with `allowRemoteHalfClosure`), the
/// frames already complete have been passed on; a frame left incomplete is reported as
/// `FrameError.truncatedAtEndOfInput` through `errorCaught` just before the event goes on.
public final class FrameDecodingHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    private let decoder: FrameDecoder
    private let frameTimeout: TimeAmount?
    private var pending: ByteBuffer?
    private var deadline: Scheduled<Void>?
    private var failed = false

    /// - Parameters:
    ///   - maximumFrameLength: the largest frame body accepted.
    ///   - frameTimeout: how long a started frame may take to arrive completely; nil for no limit.
    public init(maximumFrameLength: Int, frameTimeout: TimeAmount?) {
        self.decoder = FrameDecoder(maximumFrameLength: maximumFrameLength)
        self.frameTimeout = frameTimeout
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        if pending == nil {
            pending = incoming
        } else {
            pending!.writeBuffer(&incoming)
        }
        var framesDecoded = false
        do {
            while var buffer = pending, let frame = try decoder.decode(&buffer) {
                pending = buffer
                framesDecoded = true
                context.fireChannelRead(wrapInboundOut(frame))
                if failed { return }
            }
        } catch {
            failed = true
            pending = nil
            cancelDeadline()
            context.fireErrorCaught(error)
            return
        }
        settlePending(context: context, progressed: framesDecoded)
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            cancelDeadline()
            if !failed, let buffer = pending, buffer.readableBytes > 0 {
                failed = true
                pending = nil
                context.fireErrorCaught(FrameError.truncatedAtEndOfInput(received: buffer.readableBytes))
            }
            pending = nil
        }
        context.fireUserInboundEventTriggered(event)
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    /// Drops consumed bytes and keeps a deadline running only while a frame is incomplete.
    private func settlePending(context: ChannelHandlerContext, progressed: Bool) {
        guard var buffer = pending, buffer.readableBytes > 0 else {
            pending = nil
            cancelDeadline()
            return
        }
        if buffer.readerIndex > 0 {
            buffer.discardReadBytes()
            pending = buffer
        }
        if progressed { cancelDeadline() }
        guard deadline == nil, let frameTimeout else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: frameTimeout) {
            let (handler, context) = loopBound.value
            handler.failed = true
            handler.pending = nil
            context.fireErrorCaught(FrameError.frameTimeout)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension FrameDecodingHandler: Sendable {}
