/// The delivery side of the outbox (SPEC 5): what a delivery worker needs to take queued messages,
/// send them, and record the outcome. The service only ever enqueues (inside its own
/// transactions, through ``MFATransaction/enqueueOutbox(_:)``); the worker never decides anything
/// else.
///
/// Delivery is at least once: ``claimDue(now:limit:leaseSeconds:channels:messageIDDomain:)``
/// leases messages instead of locking them, so a worker that dies while sending leaves them to be
/// claimed again once the lease ends. A message may therefore be sent twice, never lost; the
/// stable ``OutboxRecord/messageID`` lets the receiving side recognise the duplicate.
public protocol OutboxQueue: Sendable {
    /// Claims up to `limit` messages in state `queued` that are due (`next attempt <= now`) on one
    /// of `channels`, oldest due first. In the same write transaction each claimed message's next
    /// attempt moves to `now + leaseSeconds` (so nobody else claims it meanwhile, and it comes back
    /// if this claim is never finished), and a message without a Message-ID gets one,
    /// `<32 random hex digits>@messageIDDomain`, kept by every later retry.
    /// - Parameters:
    ///   - now: The current time.
    ///   - limit: The most messages to claim (1 or more).
    ///   - leaseSeconds: How long the claim holds; longer than sending the whole batch takes.
    ///   - channels: The channels the caller can send on (`email`, `sms`); others stay queued.
    ///   - messageIDDomain: The right-hand side of new Message-IDs (e.g. the sender's domain).
    /// - Returns: The claimed messages, oldest due first, with `messageID` set.
    /// - Throws: a storage error; then nothing was claimed.
    func claimDue(now: Timestamp, limit: Int, leaseSeconds: Int64, channels: Set<String>,
                  messageIDDomain: String) async throws -> [OutboxRecord]

    /// Records that the remote side accepted the message: state `sent`.
    /// - Parameters:
    ///   - id: The message's row id.
    ///   - time: When it was accepted.
    /// - Throws: a storage error.
    func markSent(id: Int64, at time: Timestamp) async throws

    /// Records a failed attempt and when to try again; the message stays `queued`.
    /// - Parameters:
    ///   - id: The message's row id.
    ///   - attempts: Failed attempts so far, this one included.
    ///   - nextAttemptAt: When it is due again.
    ///   - error: A short reason; never a body, code, token or credential.
    /// - Throws: a storage error.
    func markRetry(id: Int64, attempts: Int, nextAttemptAt: Timestamp, error: String) async throws

    /// Records the last failed attempt: state `dead`, left for an operator.
    /// - Parameters:
    ///   - id: The message's row id.
    ///   - attempts: Failed attempts, this one included.
    ///   - error: A short reason; never a body, code, token or credential.
    /// - Throws: a storage error.
    func markDead(id: Int64, attempts: Int, error: String) async throws

    /// Ends claims that will not be finished (a worker stopping between messages): the messages
    /// are due again at `time`, with their attempts unchanged.
    /// - Parameters:
    ///   - ids: The claimed messages' row ids.
    ///   - time: When they are due again (usually now).
    /// - Throws: a storage error; the claims then simply run out at the end of their lease.
    func release(ids: [Int64], at time: Timestamp) async throws

    /// How many messages are in each state, every state present (0 when none), for metrics.
    /// - Returns: The count per state.
    /// - Throws: a storage error.
    func counts() async throws -> [OutboxRecord.State: Int]
}
