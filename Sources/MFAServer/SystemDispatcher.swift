import MFAWire
import NIOCore

/// Answers the calls about the server itself, `Ping` and `ServerInfo`, on the event loop, and
/// passes every other call to the next dispatcher (or answers `UNIMPLEMENTED` without one).
public struct SystemDispatcher: RequestDispatcher {
    /// The server's version string, e.g. `0.1.0`.
    public let version: String
    /// Seconds since the server started, for `uptime_seconds` (the manual clock's in test mode,
    /// so that recorded exchanges are repeatable).
    public let uptime: @Sendable () -> UInt64
    /// Whether the server runs in test mode (reported by `ServerInfo`).
    public let testMode: Bool
    /// Where other calls go.
    public let next: (any RequestDispatcher)?

    /// - Parameters:
    ///   - version: reported by `ServerInfo`.
    ///   - testMode: reported by `ServerInfo`.
    ///   - uptime: seconds since start; wall-clock time since this call when nil.
    ///   - next: the dispatcher for every other call; nil answers them `UNIMPLEMENTED`.
    public init(version: String, testMode: Bool = false, uptime: (@Sendable () -> UInt64)? = nil,
                next: (any RequestDispatcher)? = nil) {
        self.version = version
        let startedAt = NIODeadline.now()
        self.uptime = uptime ?? { UInt64(max(0, (NIODeadline.now() - startedAt).nanoseconds / 1_000_000_000)) }
        self.testMode = testMode
        self.next = next
    }

    public var supportedRPCs: [String] {
        ["Ping", "ServerInfo"] + (next?.supportedRPCs ?? [])
    }

    public func dispatch(_ call: Request.Call, context: RequestContext, promise: EventLoopPromise<Response.Result>) {
        switch call {
        case .ping(let request):
            promise.succeed(.ping(PingResponse(payload: request.payload)))
        case .serverInfo:
            promise.succeed(.serverInfo(ServerInfoResponse(
                version: version, protocolVersion: ProtocolVersion.current,
                uptimeSeconds: uptime(), testMode: testMode, rpcs: supportedRPCs)))
        default:
            if let next {
                next.dispatch(call, context: context, promise: promise)
            } else {
                promise.succeed(.error(.make(.unimplemented, "\(call.rpcName) is not implemented by this server")))
            }
        }
    }
}
