import Logging
import MFAWire
import Metrics
import NIOCore
import NIOSSL

/// Sent down every connection's pipeline when the server begins a graceful stop.
struct DrainEvent: Sendable {}

/// One connection's request loop: decodes each frame into a `Request`, checks the envelope,
/// dispatches it, and writes each response as soon as it is ready, so pipelined requests are
/// answered in the order they finish. Framing errors get one error response and a close.
///
/// A peer that half-closes (`shutdown(SHUT_WR)`: `ChannelEvent.inputClosed`, with the channel's
/// `allowRemoteHalfClosure` on) has every request it already sent answered, those waiting behind
/// the in-flight limit included, and then the connection is closed. A frame the peer left
/// incomplete gets one `MALFORMED_FRAME` error after those answers.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let dispatcher: any RequestDispatcher
    private let maximumInFlight: Int
    /// Frames read while `maximumInFlight` requests were running; handled as answers go out.
    private var waiting: [ByteBuffer] = []
    /// A read the pipeline asked for while the connection was at its in-flight limit.
    private var readHeld = false
    /// The service this connection authenticated as; set from the start when authentication is off.
    private var service: String?
    /// An `Authenticate` is being checked: later frames wait for its answer.
    private var authenticating = false
    private let peerIP: String
    private var logger: Logger
    private let peer: String
    private var context: ChannelHandlerContext?
    private var inFlight = 0
    private var isReading = false
    private var needsFlush = false
    private var isFlushScheduled = false
    private var isDraining = false
    private var isClosing = false
    /// The peer half-closed: nothing more will be read; close once every request is answered.
    private var isInputClosed = false
    /// The peer half-closed in the middle of a frame: `MALFORMED_FRAME` before the close.
    private var truncatedFrameBytes: Int?
    private var lastReadAt = NIODeadline.now()
    /// While draining, a connection is closed once nothing is in flight and nothing was read for
    /// this long, so requests already on their way are answered (`UNAVAILABLE`), not dropped.
    static let drainQuietPeriod: TimeAmount = .milliseconds(100)

    init(dispatcher: any RequestDispatcher, logger: Logger, peer: String, peerIP: String, maximumInFlight: Int,
         requireAuthentication: Bool) {
        self.dispatcher = dispatcher
        self.maximumInFlight = max(1, maximumInFlight)
        self.peerIP = peerIP
        self.service = requireAuthentication ? nil : "dev"
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
        let frame = unwrapInboundIn(data)
        if isDraining {
            // Nothing is dispatched any more: every frame is answered (`UNAVAILABLE`) at once.
            refuseWaitingFrames(context: context)
            handleFrame(frame, context: context)
        } else if inFlight >= maximumInFlight || authenticating || !waiting.isEmpty {
            waiting.append(frame)
        } else {
            handleFrame(frame, context: context)
        }
    }

    /// Holds the next socket read while the connection is at its in-flight limit. While draining
    /// nothing is held: what the peer already sent is read and refused rather than left unread.
    func read(context: ChannelHandlerContext) {
        if inFlight >= maximumInFlight && !isDraining && !isInputClosed {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// While draining: answers every frame read earlier but not yet handled.
    private func refuseWaitingFrames(context: ChannelHandlerContext) {
        while !waiting.isEmpty, !isClosing {
            handleFrame(waiting.removeFirst(), context: context)
        }
    }

    /// After an answer went out: handles waiting frames, then lets reading resume.
    private func resumeAfterAnswer(context: ChannelHandlerContext) {
        while inFlight < maximumInFlight, !authenticating, !waiting.isEmpty, !isClosing {
            handleFrame(waiting.removeFirst(), context: context)
        }
        if readHeld, inFlight < maximumInFlight {
            readHeld = false
            context.read()
        }
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
        case FrameError.frameTooLarge(let length, _) where HTTPHint.looksLikeHTTP(length):
            logger.notice("closing connection: HTTP request on the mfad port")
            isClosing = true
            var hint = context.channel.allocator.buffer(capacity: HTTPHint.text.utf8.count)
            hint.writeString(HTTPHint.text)
            context.writeAndFlush(wrapOutboundOut(hint)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case FrameError.frameTooLarge(let length, let maximum):
            logger.notice("closing connection: frame too large", metadata: ["length": "\(length)"])
            closeWithError(.make(.frameTooLarge, "frame of \(length) bytes is over the maximum of \(maximum) bytes"), context: context)
        case FrameError.frameTimeout:
            logger.notice("closing connection: frame not completed in time")
            closeWithError(.make(.malformedFrame, "frame not completed in time"), context: context)
        case FrameError.truncatedAtEndOfInput(let received):
            // `ChannelEvent.inputClosed` follows at once: the frames before are answered first.
            logger.notice("peer half-closed in the middle of a frame", metadata: ["received": "\(received)"])
            truncatedFrameBytes = received
        case NIOSSLError.uncleanShutdown:
            // TLS: TCP input ended without close_notify. Every record decoded so far was
            // authenticated, so its requests are answered like after a clean half-close
            // (`ChannelEvent.inputClosed` follows); a close before that is still a close.
            logger.debug("TLS input ended without close_notify")
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
                closeAfterPendingWrites(context: context)
            }
        case ChannelEvent.inputClosed:
            guard !isInputClosed else { return }
            logger.debug("peer half-closed; answering what it sent, then closing",
                         metadata: ["in_flight": "\(inFlight)", "waiting": "\(waiting.count)"])
            isInputClosed = true
            readHeld = false
            if isDraining {
                refuseWaitingFrames(context: context)
            } else {
                resumeAfterAnswer(context: context)
            }
            if needsFlush, !isReading {
                needsFlush = false
                context.flush()
            }
            closeIfInputFinished(context: context)
        case is DrainEvent:
            isDraining = true
            lastReadAt = .now()
            refuseWaitingFrames(context: context)
            if readHeld {
                readHeld = false
                context.read()
            }
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
                countRejected(.invalidArgument)
                write(Response(id: id, result: .error(.make(.invalidArgument, error.description))), context: context)
            } else {
                logger.notice("closing connection: malformed envelope", metadata: ["reason": "\(error.description)"])
                closeWithError(.make(.malformedFrame, "not a valid Request envelope: \(error.description)"), id: id, context: context)
            }
            return
        }
        guard request.protocolVersion == ProtocolVersion.current else {
            countRejected(.unsupportedVersion)
            write(Response(id: request.id, result: .error(.make(
                .unsupportedVersion,
                "protocol_version \(request.protocolVersion) is not supported; this server speaks \(ProtocolVersion.current)"))),
                context: context)
            return
        }
        guard let call = request.call else {
            countRejected(.unimplemented)
            write(Response(id: request.id, result: .error(.make(
                .unimplemented, "the request's call is missing or unknown to this server"))), context: context)
            return
        }
        guard !isDraining else {
            countRejected(.unavailable)
            write(Response(id: request.id, result: .error(.make(.unavailable, "the server is shutting down"))), context: context)
            return
        }
        if case .authenticate = call {
            authenticating = true
        } else if service == nil {
            countRejected(.unauthenticated)
            write(Response(id: request.id, result: .error(.make(
                .unauthenticated, "authenticate first: send Authenticate with your service name and API key"))), context: context)
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
            if case .authenticate = call {
                self.authenticating = false
                if case .success(.authenticate(let answer)) = result {
                    self.service = answer.service
                    self.logger[metadataKey: "service"] = "\(answer.service)"
                }
            }
            switch result {
            case .success(let result):
                self.write(Response(id: id, result: result), context: context)
            case .failure(let error):
                self.logger.error("request failed inside the server",
                                  metadata: ["request_id": "\(id)", "rpc": "\(call.rpcName)", "error": "\(error)"])
                self.write(Response(id: id, result: .error(.make(.internal, "internal error"))), context: context)
            }
            self.resumeAfterAnswer(context: context)
            self.closeIfInputFinished(context: context)
        }
        // The connection's logger as it is: copying its metadata to add the request id cost ~10%
        // of the CPU of a Ping. Log lines about a request carry `request_id` themselves.
        dispatcher.dispatch(call, context: RequestContext(requestID: id, peer: peer, peerIP: peerIP, service: service,
                                                          eventLoop: context.eventLoop, logger: logger), promise: promise)
    }

    /// Closes the connection once nothing is in flight and the peer has been quiet for
    /// `drainQuietPeriod`; checks again until then.
    private func closeWhenQuiet(context: ChannelHandlerContext) {
        guard !isClosing else { return }
        let quietFor = NIODeadline.now() - lastReadAt
        if inFlight == 0 && quietFor >= Self.drainQuietPeriod {
            closeAfterPendingWrites(context: context)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: Self.drainQuietPeriod) {
            let (handler, context) = loopBound.value
            handler.closeWhenQuiet(context: context)
        }
    }

    /// After a half-close: closes once every request read is answered, with `MALFORMED_FRAME`
    /// first when the input ended inside a frame.
    private func closeIfInputFinished(context: ChannelHandlerContext) {
        guard isInputClosed, !isClosing, inFlight == 0, waiting.isEmpty, !authenticating else { return }
        if let received = truncatedFrameBytes {
            closeWithError(.make(.malformedFrame,
                                 "the connection's input ended \(received) bytes into a frame; the frame was not read"),
                           context: context)
        } else {
            closeAfterPendingWrites(context: context)
        }
    }

    /// Counts a request answered here, before dispatch (`InstrumentedDispatcher` counts the rest).
    private func countRejected(_ code: ErrorCode) {
        Counter(label: "mfad_requests_rejected_total", dimensions: [("code", code.shortName)]).increment()
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
        closeAfterPendingWrites(context: context)
    }

    /// Closes the connection once everything written so far has gone out. A plain `close` would
    /// drop answers still waiting for their flush (one scheduled after a storage completion).
    private func closeAfterPendingWrites(context: ChannelHandlerContext) {
        isClosing = true
        needsFlush = false
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension ConnectionHandler: Sendable {}
