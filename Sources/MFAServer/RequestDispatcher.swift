import Logging
import MFAWire
import NIOCore

/// What a request handler knows about the request and its connection.
public struct RequestContext: Sendable {
    /// The client's id of the request.
    public let requestID: UInt64
    /// The peer, e.g. `127.0.0.1:51234`, for logs.
    public let peer: String
    /// The peer's IP address without the port, for rate limits.
    public let peerIP: String
    /// The service the connection authenticated as (`dev` when authentication is off).
    public let service: String?
    /// The connection's event loop; completing the promise from elsewhere is fine too.
    public let eventLoop: any EventLoop
    /// A logger carrying the connection's metadata (not the request id: add `request_id` from
    /// `requestID` to the lines that are about the request).
    public let logger: Logger

    /// The connection handler makes one per request; a harness that dispatches without a
    /// connection (the fuzz targets) makes its own.
    /// - Parameters: see the properties.
    public init(requestID: UInt64, peer: String, peerIP: String, service: String?, eventLoop: any EventLoop,
                logger: Logger) {
        self.requestID = requestID
        self.peer = peer
        self.peerIP = peerIP
        self.service = service
        self.eventLoop = eventLoop
        self.logger = logger
    }
}

/// Turns calls into results. The server calls `dispatch` on the connection's event loop; an
/// implementation completes `promise` at once for cheap calls (no thread hop on the hot path)
/// or later from any thread for calls that wait on storage or hashing.
public protocol RequestDispatcher: Sendable {
    /// The RPC names this dispatcher answers, reported by `ServerInfo`.
    var supportedRPCs: [String] { get }

    /// Handles one call.
    /// - Parameters:
    ///   - call: the decoded call.
    ///   - context: the request's id, peer and logger.
    ///   - promise: to be completed exactly once, with a result or `.error(...)`.
    func dispatch(_ call: Request.Call, context: RequestContext, promise: EventLoopPromise<Response.Result>)
}

extension ErrorDetails {
    /// An error with a code and a message (no attempts or retry-after).
    public static func make(_ code: ErrorCode, _ message: String) -> ErrorDetails {
        ErrorDetails(code: code, message: message)
    }
}
