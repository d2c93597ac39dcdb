import Logging
import MFAWire
import NIOCore

/// Sent down every connection's pipeline when the server begins a graceful stop.
struct DrainEvent: Sendable {}

/// One connection's request loop: decodes each frame into a `Request`, checks the envelope,
/// dispatches it, and writes each response as soon as it is ready, so pipelined requests are
/// answered in the order they finish. Framing errors get one error response and a close.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let dispatcher: any RequestDispatcher
    private let logger: Logger
    private let peer: String
    private var context: ChannelHandlerContext?
    private var inFlight = 0
    private var isReading = false
    private var needsFlush = false
    private var isFlushScheduled = false
    private var isDraining = false
    private var isClosing = false
    private var lastReadAt = NIODeadline.now()
    /// While draining, a connection is closed once nothing is in flight and nothing was read for
    /// this long, so requests already on their way are answered (`UNAVAILABLE`), not dropped.
    static let drainQuietPeriod: TimeAmount = .milliseconds(100)

    init(dispatcher: any RequestDispatcher, logger: Logger, peer: String) {
        self.dispatcher = dispatcher
        self.peer = peer
        var logger = logger
        logger[metadataKey: "peer"] = "\(peer)"
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        isReading = true
        if isDraining { lastReadAt = .now() }
        handleFrame(unwrapInboundIn(data), context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        isReading = false
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case FrameError.frameTooLarge(let length, let maximum):
            logger.notice("closing connection: frame too large", metadata: ["length": "\(length)"])
            closeWithError(.make(.frameTooLarge, "frame of \(length) bytes is over the maximum of \(maximum) bytes"), context: context)
        case FrameError.frameTimeout:
            logger.notice("closing connection: frame not completed in time")
            closeWithError(.make(.malformedFrame, "frame not completed in time"), context: context)
        default:
            logger.debug("closing connection after error", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let idle as IdleStateHandler.IdleStateEvent where idle == .read:
            if inFlight == 0 {
                logger.debug("closing idle connection")
                context.close(promise: nil)
            }
        case is DrainEvent:
            isDraining = true
            lastReadAt = .now()
            closeWhenQuiet(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: - Requests

    private func handleFrame(_ frame: ByteBuffer, context: ChannelHandlerContext) {
        let request: Request
        do {
            request = try Request(buffer: frame)
        } catch {
            let id = frame.withUnsafeReadableBytes { WireValidator.peekVarint(field: 1, in: $0) } ?? 0
            if error.isInvalidArgument {
                write(Response(id: id, result: .error(.make(.invalidArgument, error.description))), context: context)
            } else {
                logger.notice("closing connection: malformed envelope", metadata: ["reason": "\(error.description)"])
                closeWithError(.make(.malformedFrame, "not a valid Request envelope: \(error.description)"), id: id, context: context)
            }
            return
        }
        guard request.protocolVersion == ProtocolVersion.current else {
            write(Response(id: request.id, result: .error(.make(
                .unsupportedVersion,
                "protocol_version \(request.protocolVersion) is not supported; this server speaks \(ProtocolVersion.current)"))),
                context: context)
            return
        }
        guard let call = request.call else {
            write(Response(id: request.id, result: .error(.make(
                .unimplemented, "the request's call is missing or unknown to this server"))), context: context)
            return
        }
        guard !isDraining else {
            write(Response(id: request.id, result: .error(.make(.unavailable, "the server is shutting down"))), context: context)
            return
        }
        dispatch(call, id: request.id, context: context)
    }

    private func dispatch(_ call: Request.Call, id: UInt64, context: ChannelHandlerContext) {
        inFlight += 1
        let promise = context.eventLoop.makePromise(of: Response.Result.self)
        promise.futureResult.assumeIsolated().whenComplete { result in
            self.inFlight -= 1
            guard let context = self.context else { return }
            switch result {
            case .success(let result):
                self.write(Response(id: id, result: result), context: context)
            case .failure(let error):
                self.logger.error("request failed inside the server",
                                  metadata: ["request_id": "\(id)", "rpc": "\(call.rpcName)", "error": "\(error)"])
                self.write(Response(id: id, result: .error(.make(.internal, "internal error"))), context: context)
            }
        }
        // The connection's logger as it is: copying its metadata to add the request id cost ~10%
        // of the CPU of a Ping. Log lines about a request carry `request_id` themselves.
        dispatcher.dispatch(call, context: RequestContext(requestID: id, peer: peer, eventLoop: context.eventLoop, logger: logger),
                            promise: promise)
    }

    /// Closes the connection once nothing is in flight and the peer has been quiet for
    /// `drainQuietPeriod`; checks again until then.
    private func closeWhenQuiet(context: ChannelHandlerContext) {
        guard !isClosing else { return }
        let quietFor = NIODeadline.now() - lastReadAt
        if inFlight == 0 && quietFor >= Self.drainQuietPeriod {
            isClosing = true
            context.close(promise: nil)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: Self.drainQuietPeriod) {
            let (handler, context) = loopBound.value
            handler.closeWhenQuiet(context: context)
        }
    }

    // MARK: - Responses

    private func write(_ response: Response, context: ChannelHandlerContext) {
        guard !isClosing else { return }
        var buffer = context.channel.allocator.buffer(capacity: 64)
        do {
            try buffer.writeFrame(response)
        } catch {
            logger.error("could not encode a response", metadata: ["error": "\(error)"])
            buffer.clear()
            // Encoding a fixed error cannot fail: its message has no NUL.
            try? buffer.writeFrame(Response(id: response.id, result: .error(.make(.internal, "internal error"))))
        }
        context.write(wrapOutboundOut(buffer), promise: nil)
        if isReading {
            needsFlush = true
        } else if !isFlushScheduled {
            // A response finished outside a read (storage, hashing): flush once the event loop has
            // run the other completions already queued, so they share one write system call.
            isFlushScheduled = true
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.isFlushScheduled = false
                context.flush()
            }
        }
    }

    /// Writes one error and closes the connection once it is sent.
    private func closeWithError(_ error: ErrorDetails, id: UInt64 = 0, context: ChannelHandlerContext) {
        guard !isClosing else { return }
        write(Response(id: id, result: .error(error)), context: context)
        isClosing = true
        needsFlush = false
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension ConnectionHandler: Sendable {}
