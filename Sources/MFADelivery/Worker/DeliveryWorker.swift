import Logging
import MFACore
import Metrics
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Delivers the outbox (SPEC 5): claims due messages, sends each with the sender of its channel,
/// marks it `sent` only once the remote side accepted it, and otherwise schedules a retry with
/// exponential back-off, until ``DeliveryConfiguration/maxAttempts`` failures make it `dead`.
///
/// Run it as a swift-service-lifecycle `Service`. It looks for due messages when started, when
/// ``poke()``d (after the service enqueues), and every ``DeliveryConfiguration/pollInterval``.
/// On graceful shutdown it finishes the message it is sending, hands the rest of its claim back
/// and returns. Delivery is at least once: a worker that dies mid-send leaves its claim to expire
/// (``DeliveryConfiguration/leaseSeconds``), and the message is sent again with the same
/// Message-ID.
///
/// Logs carry the outbox id, channel, attempt and a short error; never a recipient's message,
/// code, token or credential.
public final class DeliveryWorker: Service, Sendable {
    /// What one ``deliverDue()`` call did.
    public struct Pass: Sendable, Hashable {
        /// Messages the remote side accepted.
        public var sent = 0
        /// Messages that failed and will be tried again.
        public var retried = 0
        /// Messages that failed for the last time.
        public var dead = 0
        /// Claimed messages handed back unsent (shutdown).
        public var released = 0
        /// Storage operations that failed (the claim then runs out and the message comes back).
        public var storageErrors = 0

        public init() {}
    }

    private let queue: any OutboxQueue
    private let sealer: OutboxSealer
    private let senders: [String: any MessageSender]
    private let configuration: DeliveryConfiguration
    private let clock: any MFACore.Clock
    private let random: any RandomSource
    private let logger: Logger
    private let wakeups: AsyncStream<Void>
    private let wakeupContinuation: AsyncStream<Void>.Continuation
    /// Set once graceful shutdown begins; read between messages.
    private let stopping = NIOLockedValueBox(false)

    /// - Parameters:
    ///   - queue: The outbox (the store engine in mfad: SQLite or PostgreSQL).
    ///   - sealer: Opens each message's sealed content, only to send it.
    ///   - senders: A sender per channel (`email`, `sms`); messages of other channels stay queued.
    ///   - configuration: Attempts, back-off, batch size, lease, poll interval, Message-ID domain.
    ///   - clock: The time source for claims, retries and sent times.
    ///   - random: The back-off jitter's source.
    ///   - logger: Where delivery is logged.
    public init(queue: any OutboxQueue, sealer: OutboxSealer, senders: [String: any MessageSender],
                configuration: DeliveryConfiguration, clock: any MFACore.Clock, random: any RandomSource, logger: Logger) {
        self.queue = queue
        self.sealer = sealer
        self.senders = senders
        self.configuration = configuration
        self.clock = clock
        self.random = random
        self.logger = logger
        (wakeups, wakeupContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the worker to look for due messages now (e.g. right after a message was enqueued).
    /// Pokes while it is busy coalesce into one more look.
    public func poke() {
        wakeupContinuation.yield()
    }

    /// Delivers until graceful shutdown (or cancellation). Call it once.
    public func run() async throws {
        logger.info("delivery worker started", metadata: [
            "channels": "\(senders.keys.sorted().joined(separator: ","))",
            "max_attempts": "\(configuration.maxAttempts)",
        ])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { [wakeupContinuation, interval = configuration.pollInterval] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        wakeupContinuation.yield()
                    }
                }
                wakeupContinuation.yield()
                for await _ in wakeups {
                    if isStopping { break }
                    await deliverDue()
                }
                group.cancelAll()
            }
        } onGracefulShutdown: { [stopping, wakeupContinuation] in
            stopping.withLockedValue { $0 = true }
            wakeupContinuation.finish()
        }
        logger.info("delivery worker stopped")
    }

    /// Claims and sends every due message, batch after batch, until none is due (or shutdown
    /// begins: then after the message being sent). ``run()`` calls it; tests call it directly.
    /// - Returns: What happened.
    @discardableResult
    public func deliverDue() async -> Pass {
        var pass = Pass()
        let channels = Set(senders.keys)
        while !isStopping {
            let claimed: [OutboxRecord]
            do {
                claimed = try await queue.claimDue(now: clock.now(), limit: configuration.batchSize,
                                                   leaseSeconds: configuration.leaseSeconds, channels: channels,
                                                   messageIDDomain: configuration.messageIDDomain)
            } catch {
                logger.error("could not claim outbox messages", metadata: ["error": "\(Self.shortReason(error))"])
                pass.storageErrors += 1
                return pass
            }
            for (index, message) in claimed.enumerated() {
                if isStopping {
                    await release(Array(claimed[index...]), into: &pass)
                    return pass
                }
                await deliver(message, into: &pass)
            }
            if claimed.count < configuration.batchSize { break }
        }
        return pass
    }

    private var isStopping: Bool {
        stopping.withLockedValue { $0 }
    }

    private func deliver(_ message: OutboxRecord, into pass: inout Pass) async {
        let attempt = message.attempts + 1
        var metadata: Logger.Metadata = [
            "outbox_id": "\(message.id)", "channel": "\(message.channel)", "attempt": "\(attempt)",
        ]
        guard let sender = senders[message.channel] else { return }
        do {
            // A content that does not open never will (another key, or tampered): dead at once.
            let opened: OpenedOutboxMessage
            do {
                opened = try sealer.open(message)
            } catch {
                throw UnopenableContent(reason: Self.shortReason(error))
            }
            try await sender.send(opened)
        } catch {
            let reason = Self.shortReason(error)
            metadata["error"] = "\(reason)"
            Counter(label: "mfad_delivery_failures_total", dimensions: [
                ("channel", message.channel), ("final", attempt >= configuration.maxAttempts ? "true" : "false"),
            ]).increment()
            do {
                if attempt >= configuration.maxAttempts || error is UnopenableContent {
                    try await queue.markDead(id: message.id, attempts: attempt, error: reason)
                    pass.dead += 1
                    logger.error("delivery failed for the last time; message is dead", metadata: metadata)
                } else {
                    let delay = configuration.backoff.delay(afterFailures: attempt, random: random)
                    try await queue.markRetry(id: message.id, attempts: attempt, nextAttemptAt: clock.now().adding(seconds: delay),
                                              error: reason)
                    pass.retried += 1
                    metadata["retry_in_seconds"] = "\(delay)"
                    logger.warning("delivery failed; will retry", metadata: metadata)
                }
            } catch {
                pass.storageErrors += 1
                metadata["storage_error"] = "\(Self.shortReason(error))"
                logger.error("delivery failed and could not be recorded; retried after the claim expires", metadata: metadata)
            }
            return
        }
        do {
            try await queue.markSent(id: message.id, at: clock.now())
            Counter(label: "mfad_deliveries_total", dimensions: [("channel", message.channel)]).increment()
            pass.sent += 1
            logger.info("message delivered", metadata: metadata)
        } catch {
            pass.storageErrors += 1
            metadata["storage_error"] = "\(Self.shortReason(error))"
            logger.error("message delivered but not marked sent; it will be sent again after the claim expires", metadata: metadata)
        }
    }

    private func release(_ messages: [OutboxRecord], into pass: inout Pass) async {
        do {
            try await queue.release(ids: messages.map(\.id), at: clock.now())
            pass.released += messages.count
        } catch {
            pass.storageErrors += 1
            logger.warning("could not hand back claimed messages; they come back when the claim expires",
                           metadata: ["count": "\(messages.count)", "error": "\(Self.shortReason(error))"])
        }
    }

    /// A sealed content that did not open: the message can never be sent.
    private struct UnopenableContent: Error, CustomStringConvertible {
        let reason: String
        var description: String { "the sealed content does not open: \(reason)" }
    }

    /// A ``DeliveryError``'s reason, or an error's description, cut to 200 characters and to
    /// one line.
    static func shortReason(_ error: any Error) -> String {
        let text = (error as? DeliveryError).map(\.description) ?? String(describing: error)
        let oneLine = String(text.map { $0.isNewline ? " " : $0 })
        return oneLine.count > 200 ? String(oneLine.prefix(199)) + "…" : oneLine
    }
}
