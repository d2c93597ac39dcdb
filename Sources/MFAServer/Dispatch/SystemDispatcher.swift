import MFAWire
import NIOCore

/// Answers the calls about the server itself, `Ping` and `ServerInfo`, at once (no promise, no
/// task), and passes every other call to the next dispatcher (or answers `UNIMPLEMENTED` without
/// one).
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

    /// Answers `Ping` and `ServerInfo` at once; hands every other call on.
    /// - Parameters:
    ///   - call: the decoded call.
    ///   - context: the request's context, passed on.
    /// - Returns: the answer, or what the next dispatcher returned.
    public func dispatch(_ call: Request.Call, context: RequestContext) -> DispatchOutcome {
        switch call {
        case .ping(let request):
            return .answered(.ping(PingResponse(payload: request.payload)))
        case .serverInfo:
            return .answered(.serverInfo(ServerInfoResponse(
                version: version, protocolVersion: ProtocolVersion.current,
                uptimeSeconds: uptime(), testMode: testMode, rpcs: supportedRPCs)))
        default:
            guard let next else {
                return .answered(.error(.make(.unimplemented, "\(call.rpcName) is not implemented by this server")))
            }
            return next.dispatch(call, context: context)
        }
    }
}
