/// Why a message could not be delivered, or why delivery cannot be set up.
///
/// A struct over a private code, so that kinds can be added without breaking callers. The
/// ``reason`` is short and safe to log and to store as the outbox row's `last_error`: it never
/// holds a message body, a code, a token or a credential.
public struct DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum Code: Sendable, Hashable {
        case invalidConfiguration
        case invalidMessage
        case transferFailed
        case rejected
    }

    /// What kind of failure this is, for comparison (`error.kind == .rejected`).
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        fileprivate let code: Code

        /// A setting is missing or unusable (the worker cannot start).
        public static let invalidConfiguration = Kind(code: .invalidConfiguration)
        /// The message cannot be sent as stored (an unusable address or a missing Message-ID).
        public static let invalidMessage = Kind(code: .invalidMessage)
        /// The connection or the transfer failed before the remote side answered.
        public static let transferFailed = Kind(code: .transferFailed)
        /// The remote side answered, but did not accept the message.
        public static let rejected = Kind(code: .rejected)

        public var description: String {
            switch code {
            case .invalidConfiguration: "invalid configuration"
            case .invalidMessage: "invalid message"
            case .transferFailed: "transfer failed"
            case .rejected: "rejected"
            }
        }
    }

    /// The kind of failure.
    public let kind: Kind
    /// A short, secret-free reason.
    public let reason: String

    private init(_ code: Code, _ reason: String) {
        self.kind = Kind(code: code)
        self.reason = reason
    }

    /// A setting is missing or unusable.
    /// - Parameter reason: Which setting, and what to do.
    /// - Returns: The error.
    public static func invalidConfiguration(_ reason: String) -> DeliveryError {
        DeliveryError(.invalidConfiguration, reason)
    }

    /// The message cannot be sent as stored.
    /// - Parameter reason: What is wrong with it (never its body).
    /// - Returns: The error.
    public static func invalidMessage(_ reason: String) -> DeliveryError {
        DeliveryError(.invalidMessage, reason)
    }

    /// The connection or transfer failed.
    /// - Parameter reason: libcurl's short description, with the server's reply code if any.
    /// - Returns: The error.
    public static func transferFailed(_ reason: String) -> DeliveryError {
        DeliveryError(.transferFailed, reason)
    }

    /// The remote side did not accept the message.
    /// - Parameter reason: The reply code, e.g. `HTTP 503`.
    /// - Returns: The error.
    public static func rejected(_ reason: String) -> DeliveryError {
        DeliveryError(.rejected, reason)
    }

    public var description: String { "\(kind): \(reason)" }
}
