import MFAWire
import NIOCore

/// A call on its way to the client's channel handler.
struct PendingCall: Sendable {
    let call: Request.Call
    let timeout: TimeAmount
    let promise: EventLoopPromise<Response.Result>
}

/// Numbers outgoing requests, writes them as frames, and completes each caller's promise when
/// the response with its id arrives, in whatever order responses come.
final class ClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = PendingCall
    typealias OutboundOut = ByteBuffer

    private struct Waiter {
        let promise: EventLoopPromise<Response.Result>
        let timeout: Scheduled<Void>
    }

    private var nextID: UInt64 = 1
    private var waiters: [UInt64: Waiter] = [:]
    private var closedError: MFAClientError?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let pending = unwrapOutboundIn(data)
        if let closedError {
            pending.promise.fail(closedError)
            promise?.fail(closedError)
            return
        }
        let id = nextID
        nextID &+= 1
        var buffer = context.channel.allocator.buffer(capacity: 64)
        do {
            try Self.encode(pending.call, id: id, into: &buffer)
        } catch {
            pending.promise.fail(MFAClientError.invalidRequest(error.description))
            promise?.succeed()
            return
        }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let timeout = context.eventLoop.scheduleTask(in: pending.timeout) {
            loopBound.value.fail(id: id, with: .timeout)
        }
        waiters[id] = Waiter(promise: pending.promise, timeout: timeout)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let response: Response
        do {
            response = try Self.decode(frame)
        } catch {
            failAll(.invalidResponse(error.description))
            context.close(promise: nil)
            return
        }
        guard let waiter = waiters.removeValue(forKey: response.id) else {
            // Only a connection-level error (framing) comes without one of our ids.
            if case .error(let details)? = response.result {
                failAll(.server(details))
            }
            return
        }
        waiter.timeout.cancel()
        switch response.result {
        case .error(let details)?:
            waiter.promise.fail(MFAClientError.server(details))
        case let result?:
            waiter.promise.succeed(result)
        case nil:
            waiter.promise.fail(MFAClientError.invalidResponse("response \(response.id) has no result"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(.invalidResponse("\(error)"))
        context.close(promise: nil)
    }

    /// The frame the client sends for `call` with request id `id` (the one encoding path).
    static func encode(_ call: Request.Call, id: UInt64, into buffer: inout ByteBuffer) throws(WireEncodingError) {
        try buffer.writeFrame(Request(id: id, protocolVersion: ProtocolVersion.current, call: call))
    }

    /// A response from a frame's body (the one decoding path).
    static func decode(_ frame: ByteBuffer) throws(WireDecodingError) -> Response {
        try Response(buffer: frame)
    }

    private func fail(id: UInt64, with error: MFAClientError) {
        waiters.removeValue(forKey: id)?.promise.fail(error)
    }

    private func failAll(_ error: MFAClientError) {
        if closedError == nil { closedError = error }
        let pending = waiters
        waiters.removeAll()
        for waiter in pending.values {
            waiter.timeout.cancel()
            waiter.promise.fail(error)
        }
    }
}

@available(*, unavailable)
extension ClientHandler: Sendable {}
