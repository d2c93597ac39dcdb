import MFAWire

/// What went wrong with a call: the server's answer, or the connection.
///
/// A struct over a private kind so that new cases can be added without breaking callers.
public struct MFAClientError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case server
        case timeout
        case connectionClosed
        case connectFailed
        case invalidRequest
        case invalidResponse
        case unexpectedResponse
    }

    private let kind: Kind
    /// The server's error code; `nil` when the error did not come from the server.
    public let code: ErrorCode?
    /// The server's message (meant for the end user where SPEC 2.3 gives one), or a description.
    public let message: String
    /// How many more wrong codes are allowed before the account locks (server errors only).
    public let attemptsRemaining: UInt32
    /// When to try again, in seconds (server errors only; 0 when not applicable).
    public let retryAfterSeconds: UInt32

    private init(_ kind: Kind, code: ErrorCode? = nil, message: String, attemptsRemaining: UInt32 = 0, retryAfterSeconds: UInt32 = 0) {
        self.kind = kind
        self.code = code
        self.message = message
        self.attemptsRemaining = attemptsRemaining
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The server answered with an error.
    public static func server(_ details: ErrorDetails) -> MFAClientError {
        MFAClientError(.server, code: details.code, message: details.message,
                       attemptsRemaining: details.attemptsRemaining, retryAfterSeconds: details.retryAfterSeconds)
    }

    /// No answer came within the call's timeout.
    public static let timeout = MFAClientError(.timeout, message: "the server did not answer in time")

    /// The connection closed before the answer came.
    public static let connectionClosed = MFAClientError(.connectionClosed, message: "the connection to the server closed")

    /// The connection could not be opened.
    public static func connectFailed(_ reason: String) -> MFAClientError {
        MFAClientError(.connectFailed, message: "could not connect: \(reason)")
    }

    /// The request could not be encoded (for example a string with a NUL character).
    public static func invalidRequest(_ reason: String) -> MFAClientError {
        MFAClientError(.invalidRequest, message: "invalid request: \(reason)")
    }

    /// The server sent bytes that are not a valid response.
    public static func invalidResponse(_ reason: String) -> MFAClientError {
        MFAClientError(.invalidResponse, message: "invalid response: \(reason)")
    }

    /// The server answered a call with another call's response.
    public static func unexpectedResponse(rpc: String) -> MFAClientError {
        MFAClientError(.unexpectedResponse, message: "the server answered \(rpc) with another RPC's response")
    }

    /// True when the server answered with an error (then `code` is set).
    public var isServerError: Bool { kind == .server }
    /// True when the call timed out.
    public var isTimeout: Bool { kind == .timeout }
    /// True when the connection closed or could not be opened.
    public var isConnectionError: Bool { kind == .connectionClosed || kind == .connectFailed }

    public var description: String {
        if let code { return "\(code.protoName): \(message)" }
        return message
    }
}
