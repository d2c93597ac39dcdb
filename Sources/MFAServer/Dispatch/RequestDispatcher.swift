import MFAWire
import NIOCore

/// What a dispatcher did with a call: answered it at once, or started work that answers later.
public enum DispatchOutcome: Sendable {
    /// The answer, decided without waiting (`Ping`, `ServerInfo`, an error found before any
    /// work): the connection writes it in the same event-loop turn, with no promise or task.
    case answered(Response.Result)
    /// The answer arrives with this future, which belongs to the request's `eventLoop`. A failed
    /// future is answered `INTERNAL`.
    case pending(EventLoopFuture<Response.Result>)
}

/// Turns calls into results. The server calls `dispatch` on the connection's event loop; an
/// implementation answers at once when it needs to wait for nothing (`.answered`), and only
/// for calls that wait on storage or hashing makes a promise and returns its future
/// (`.pending`).
public protocol RequestDispatcher: Sendable {
    /// The RPC names this dispatcher answers, reported by `ServerInfo`.
    var supportedRPCs: [String] { get }

    /// Handles one call.
    /// - Parameters:
    ///   - call: the decoded call.
    ///   - context: the request's id, peer, logger and event loop.
    /// - Returns: the answer, or the future of an answer that is not ready yet.
    func dispatch(_ call: Request.Call, context: RequestContext) -> DispatchOutcome
}

extension ErrorDetails {
    /// An error with a code and a message (no attempts or retry-after).
    /// - Parameters:
    ///   - code: the error code.
    ///   - message: the message the caller sees.
    /// - Returns: the error.
    public static func make(_ code: ErrorCode, _ message: String) -> ErrorDetails {
        ErrorDetails(code: code, message: message)
    }
}
