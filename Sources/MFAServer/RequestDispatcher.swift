import Logging
import MFAWire
import NIOCore

/// What a request handler knows about the request and its connection.
public struct RequestContext: Sendable {
    /// The client's id of the request.
    public let requestID: UInt64
    /// The peer, e.g. `127.0.0.1:51234`, for logs and rate limits.
    public let peer: String
    /// The connection's event loop; completing the promise from elsewhere is fine too.
    public let eventLoop: any EventLoop
    /// A logger carrying the connection's metadata (not the request id: add `request_id` from
    /// `requestID` to the lines that are about the request).
    public let logger: Logger
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
