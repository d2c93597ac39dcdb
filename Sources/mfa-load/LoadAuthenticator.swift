import MFAClient
import MFAWire
import NIOCore

/// The first handler of a load connection when mfa-load has credentials: sends `Authenticate`
/// as soon as the connection is up, reads its answer, then steps aside so that every later frame
/// goes straight to `LoadConnection`. `authenticated` fails with the server's error when the key
/// is refused, so the run stops before it measures anything.
final class LoadAuthenticator: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The id of the `Authenticate` request; load requests count from 1.
    static let requestID: UInt64 = 0

    private let credentials: MFAClient.Credentials
    private let authenticated: EventLoopPromise<Void>
    private var answered = false

    init(credentials: MFAClient.Credentials, authenticated: EventLoopPromise<Void>) {
        self.credentials = credentials
        self.authenticated = authenticated
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = Request(id: Self.requestID, protocolVersion: ProtocolVersion.current,
                              call: .authenticate(AuthenticateRequest(service: credentials.service, apiKey: credentials.apiKey)))
        var buffer = context.channel.allocator.buffer(capacity: 128)
        do {
            try buffer.writeFrame(request)
        } catch {
            authenticated.fail(error)
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else {
            context.fireChannelRead(data)
            return
        }
        answered = true
        let frame = unwrapInboundIn(data)
        switch try? Response(buffer: frame) {
        case .some(let response) where response.id == Self.requestID:
            if case .error(let error) = response.result {
                authenticated.fail(MFAClientError.server(error))
                context.close(promise: nil)
            } else {
                authenticated.succeed(())
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            }
        default:
            authenticated.fail(MFAClientError.connectFailed("the answer to Authenticate was not a valid response"))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !answered {
            answered = true
            authenticated.fail(MFAClientError.connectFailed("the server closed the connection before answering Authenticate"))
        }
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension LoadAuthenticator: Sendable {}
