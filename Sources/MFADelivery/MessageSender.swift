import MFACore

/// Sends one outbox message on one channel.
///
/// ``send(_:)`` returns only once the remote side accepted the message (an SMTP 250 after
/// `DATA`, an HTTP 2xx); the worker marks it sent only then.
public protocol MessageSender: Sendable {
    /// Delivers the message.
    /// - Parameter message: A claimed outbox message of this sender's channel, `messageID` set,
    ///   its content opened for this send only.
    /// - Throws: ``DeliveryError`` (or any error) when it was not accepted; its text is logged
    ///   and stored, so it must never hold the message's body, code or a credential.
    func send(_ message: OpenedOutboxMessage) async throws
}
