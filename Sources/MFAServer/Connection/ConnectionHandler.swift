import Logging
import MFAExecutors
import MFAWire
import NIOCore
import NIOSSL

/// One connection's request loop, the last handler of the pipeline after `FrameDecodingHandler`:
/// checks each frame's envelope (`ScreenedFrame`), lets it through the connection's
/// authentication (`ConnectionAuthentication`) and back-pressure (`ConnectionFlow`), dispatches
/// it, and writes each answer as soon as it is ready (`ConnectionOutput`), so pipelined requests
/// are answered in the order they finish. An answer the dispatcher gives at once is written in
/// the same event-loop turn; framing errors get one error response and a close.
///
/// A peer that half-closes (`shutdown(SHUT_WR)`: `ChannelEvent.inputClosed`, with the channel's
/// `allowRemoteHalfClosure` on) has every request it already sent answered, those waiting behind
/// the in-flight limit included, and then the connection is closed. A frame the peer left
/// incomplete gets one `MALFORMED_FRAME` error after those answers. On
/// `ChannelShouldQuiesceEvent` (the server's graceful stop) it drains: see `ConnectionFlow`.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let dispatcher: any RequestDispatcher
    private let metrics: ServerMetrics
    private let taskExecutor: EventLoopTaskExecutor
    private let peer: String
    private let peerIP: String
    private var logger: Logger
    private var authentication: ConnectionAuthentication
    private var flow: ConnectionFlow
    private let output = ConnectionOutput()
    private var context: ChannelHandlerContext?

    /// - Parameters:
    ///   - dispatcher: what answers the calls.
    ///   - metrics: the server's metrics (requests rejected before dispatch).
    ///   - taskExecutor: the executor of the channel's event loop, for request tasks.
    ///   - logger: the server's logger; the connection adds `peer` (and `service`).
    ///   - peer: the peer's address, for logs.
    ///   - peerIP: the peer's IP address, for rate limits.
    ///   - maximumInFlight: requests dispatched at once at most.
    ///   - requireAuthentication: whether calls need an `Authenticate` first.
    init(dispatcher: any RequestDispatcher, metrics: ServerMetrics, taskExecutor: EventLoopTaskExecutor, logger: Logger,
         peer: String, peerIP: String, maximumInFlight: Int, requireAuthentication: Bool) {
        self.dispatcher = dispatcher
        self.metrics = metrics
        self.taskExecutor = taskExecutor
        self.peer = peer
        self.peerIP = peerIP
        var logger = logger
        logger[metadataKey: "peer"] = "\(peer)"
        self.logger = logger
        self.authentication = ConnectionAuthentication(required: requireAuthentication)
        self.flow = ConnectionFlow(maximumInFlight: maximumInFlight)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !output.isClosing else { return }
        output.readStarted()
        let frame = unwrapInboundIn(data)
        if flow.isDraining {
            // Nothing is dispatched any more: every frame is answered (`UNAVAILABLE`) at once.
            flow.readWhileDraining(now: context.eventLoop.now)
            refuseWaitingFrames(context: context)
            handleFrame(frame, context: context)
        } else if let frame = flow.admit(frame, gated: authentication.isChecking) {
            handleFrame(frame, context: context)
        }
    }

    /// Holds the next socket read while the connection is at its in-flight limit.
    func read(context: ChannelHandlerContext) {
        if !flow.holdsRead() {
            context.read()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        output.readCompleted(context: context)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case FrameError.frameTooLarge(let length, _) where HTTPHint.looksLikeHTTP(length):
            logger.notice("closing connection: HTTP request on the mfad port")
            output.closeWithText(HTTPHint.text, context: context)
        case FrameError.frameTooLarge(let length, let maximum):
            logger.notice("closing connection: frame too large", metadata: ["length": "\(length)"])
            closeWithError(.make(.frameTooLarge, "frame of \(length) bytes is over the maximum of \(maximum) bytes"), context: context)
        case FrameError.frameTimeout:
            logger.notice("closing connection: frame not completed in time")
            closeWithError(.make(.malformedFrame, "frame not completed in time"), context: context)
        case FrameError.truncatedAtEndOfInput(let received):
            // `ChannelEvent.inputClosed` follows at once: the frames before are answered first.
            logger.notice("peer half-closed in the middle of a frame", metadata: ["received": "\(received)"])
            flow.inputEndedInsideFrame(received: received)
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
            if flow.inFlight == 0 {
                logger.debug("closing idle connection")
                output.closeAfterPendingWrites(context: context)
            }
        case ChannelEvent.inputClosed:
            guard flow.closeInput() else { return }
            logger.debug("peer half-closed; answering what it sent, then closing",
                         metadata: ["in_flight": "\(flow.inFlight)", "waiting": "\(flow.waitingCount)"])
            if flow.isDraining {
                refuseWaitingFrames(context: context)
            } else {
                resumeAfterAnswer(context: context)
            }
            output.flushOutsideRead(context: context)
            closeIfInputFinished(context: context)
        case is ChannelShouldQuiesceEvent:
            guard !flow.isDraining else { return }
            let releasesRead = flow.startDraining(now: context.eventLoop.now)
            refuseWaitingFrames(context: context)
            if releasesRead {
                context.read()
            }
            closeWhenQuiet(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: - Requests

    private func handleFrame(_ frame: ByteBuffer, context: ChannelHandlerContext) {
        switch ScreenedFrame(frame: frame) {
        case .rejected(let id, let error):
            reject(id: id, error, context: context)
        case .malformed(let id, let error, let reason):
            logger.notice("closing connection: malformed envelope", metadata: ["reason": "\(reason)"])
            closeWithError(error, id: id, context: context)
        case .call(let id, let call):
            if flow.isDraining {
                reject(id: id, .make(.unavailable, "the server is shutting down"), context: context)
                return
            }
            switch authentication.admit(call) {
            case .refuse: reject(id: id, ConnectionAuthentication.refusal, context: context)
            case .dispatch: dispatch(call, id: id, context: context)
            }
        }
    }

    /// Answers a request before dispatch (`mfad_requests_rejected_total`).
    private func reject(id: UInt64, _ error: ErrorDetails, context: ChannelHandlerContext) {
        metrics.countRejected(error.code)
        send(Response(id: id, result: .error(error)), context: context)
    }

    private func dispatch(_ call: Request.Call, id: UInt64, context: ChannelHandlerContext) {
        // The connection's logger as it is: copying its metadata to add the request id cost ~10%
        // of the CPU of a Ping. Log lines about a request carry `request_id` themselves.
        let requestContext = RequestContext(requestID: id, peer: peer, peerIP: peerIP, service: authentication.service,
                                            taskExecutor: taskExecutor, logger: logger)
        switch dispatcher.dispatch(call, context: requestContext) {
        case .answered(let result):
            // No waiting, nothing in flight: the frames behind it are handled by the caller's loop.
            answer(call, id: id, .success(result), context: context)
        case .pending(let future):
            flow.requestStarted()
            let onLoop = future.eventLoop === context.eventLoop ? future : future.hop(to: context.eventLoop)
            onLoop.assumeIsolated().whenComplete { result in
                self.flow.requestFinished()
                guard let context = self.context else { return }
                self.answer(call, id: id, result, context: context)
                self.resumeAfterAnswer(context: context)
                self.closeIfInputFinished(context: context)
            }
        }
    }

    private func answer(_ call: Request.Call, id: UInt64, _ result: Result<Response.Result, any Error>,
                        context: ChannelHandlerContext) {
        if let service = authentication.answered(call, result) {
            logger[metadataKey: "service"] = "\(service)"
        }
        switch result {
        case .success(let result):
            send(Response(id: id, result: result), context: context)
        case .failure(let error):
            logger.error("request failed inside the server",
                         metadata: ["request_id": "\(id)", "rpc": "\(call.rpcName)", "error": "\(error)"])
            send(Response(id: id, result: .error(.make(.internal, "internal error"))), context: context)
        }
    }

    // MARK: - Back-pressure and winding down

    /// After an answer went out: handles waiting frames, then lets reading resume.
    private func resumeAfterAnswer(context: ChannelHandlerContext) {
        while !output.isClosing, let frame = flow.nextWaiting(gated: authentication.isChecking) {
            handleFrame(frame, context: context)
        }
        if flow.releasesHeldRead() {
            context.read()
        }
    }

    /// While draining: answers every frame read earlier but not yet handled.
    private func refuseWaitingFrames(context: ChannelHandlerContext) {
        while !output.isClosing, let frame = flow.nextWaitingToRefuse() {
            handleFrame(frame, context: context)
        }
    }

    /// Closes the connection once nothing is in flight and the peer has been quiet for
    /// `ConnectionFlow.drainQuietPeriod`; checks again until then.
    private func closeWhenQuiet(context: ChannelHandlerContext) {
        guard !output.isClosing else { return }
        if flow.isQuiet(now: context.eventLoop.now) {
            output.closeAfterPendingWrites(context: context)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: ConnectionFlow.drainQuietPeriod) {
            let (handler, context) = loopBound.value
            handler.closeWhenQuiet(context: context)
        }
    }

    /// After a half-close: closes once every request read is answered, with `MALFORMED_FRAME`
    /// first when the input ended inside a frame.
    private func closeIfInputFinished(context: ChannelHandlerContext) {
        guard !output.isClosing else { return }
        switch flow.inputEnding(gated: authentication.isChecking) {
        case .notYet:
            break
        case .close:
            output.closeAfterPendingWrites(context: context)
        case .closeAfterCutFrame(let received):
            closeWithError(.make(.malformedFrame,
                                 "the connection's input ended \(received) bytes into a frame; the frame was not read"),
                           context: context)
        }
    }

    // MARK: - Responses

    private func send(_ response: Response, context: ChannelHandlerContext) {
        do {
            try output.write(response, context: context)
        } catch {
            logger.error("could not encode a response", metadata: ["error": "\(error)"])
            // Encoding a fixed error cannot fail: its message has no NUL.
            try? output.write(Response(id: response.id, result: .error(.make(.internal, "internal error"))), context: context)
        }
    }

    /// Writes one error and closes the connection once it is sent.
    private func closeWithError(_ error: ErrorDetails, id: UInt64 = 0, context: ChannelHandlerContext) {
        guard !output.isClosing else { return }
        send(Response(id: id, result: .error(error)), context: context)
        output.closeAfterPendingWrites(context: context)
    }
}

@available(*, unavailable)
extension ConnectionHandler: Sendable {}
