import Logging
import MFAExecutors
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
    /// The connection's event loop as a task executor: a dispatcher that starts a task for a
    /// call prefers it (`Task(executorPreference:)`), so the task runs on the connection's
    /// thread and completes the answer there without a hop. One per loop, made by the server.
    public let taskExecutor: EventLoopTaskExecutor
    /// A logger carrying the connection's metadata (not the request id: add `request_id` from
    /// `requestID` to the lines that are about the request).
    public let logger: Logger

    /// The connection's event loop (the loop of `taskExecutor`); a pending answer's future
    /// belongs to it.
    public var eventLoop: any EventLoop { taskExecutor.eventLoop }

    /// The connection handler makes one per request; a harness that dispatches without a
    /// connection (the fuzz targets) makes its own.
    /// - Parameters:
    ///   - requestID: the client's id of the request.
    ///   - peer: the peer's address and port, for logs.
    ///   - peerIP: the peer's IP address, for rate limits.
    ///   - service: the authenticated calling service, if any.
    ///   - taskExecutor: the executor of the connection's event loop (made once per loop, see
    ///     `EventLoopTaskExecutors`).
    ///   - logger: the connection's logger.
    public init(requestID: UInt64, peer: String, peerIP: String, service: String?, taskExecutor: EventLoopTaskExecutor,
                logger: Logger) {
        self.requestID = requestID
        self.peer = peer
        self.peerIP = peerIP
        self.service = service
        self.taskExecutor = taskExecutor
        self.logger = logger
    }
}
