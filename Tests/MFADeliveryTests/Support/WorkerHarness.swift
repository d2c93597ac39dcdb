import Foundation
import Logging
import MFACore
import MFADelivery
import MFAStore
import Testing

/// A sender that records every message it is given and answers from a script: `true` accepts,
/// `false` fails; once the script is used up it accepts.
actor FakeSender: MessageSender {
    private var script: [Bool]
    private(set) var attempts: [OpenedOutboxMessage] = []
    private(set) var accepted: [OpenedOutboxMessage] = []
    /// Runs inside `send`, before it answers (e.g. to look at the outbox meanwhile).
    private let during: (@Sendable (OpenedOutboxMessage) async -> Void)?

    init(script: [Bool] = [], during: (@Sendable (OpenedOutboxMessage) async -> Void)? = nil) {
        self.script = script
        self.during = during
    }

    func send(_ message: OpenedOutboxMessage) async throws {
        attempts.append(message)
        await during?(message)
        let accept = script.isEmpty ? true : script.removeFirst()
        guard accept else { throw DeliveryError.transferFailed("SMTP: Couldn't connect to server") }
        accepted.append(message)
    }
}

/// A sender that holds its first message until ``open()``.
actor GateSender: MessageSender {
    private(set) var started: [Int64] = []
    private(set) var finished: [Int64] = []
    private var isOpen = false
    private var waiting: CheckedContinuation<Void, Never>?

    func send(_ message: OpenedOutboxMessage) async throws {
        started.append(message.id)
        if !isOpen {
            await withCheckedContinuation { waiting = $0 }
        }
        finished.append(message.id)
    }

    func open() {
        isOpen = true
        waiting?.resume()
        waiting = nil
    }
}

/// A worker on an in-memory database with a manual clock.
struct WorkerHarness {
    let storage: SQLiteMFAStorage
    let clock: ManualClock
    let worker: DeliveryWorker
    let sealer: OutboxSealer

    /// The sealing key of every harness.
    static let vault = SecretVault(current: (id: 1, key: Array(repeating: 9, count: 32)))

    static func make(senders: [String: any MessageSender], random: any RandomSource = SeededRandomSource(seed: 1),
                     configure: (inout DeliveryConfiguration) -> Void = { _ in }) async throws -> WorkerHarness {
        var configuration = DeliveryConfiguration(mailFrom: "mfad <no-reply@example.com>")
        configure(&configuration)
        let storage = try await SQLiteMFAStorage.openInMemory()
        let clock = ManualClock()
        var logger = Logger(label: "delivery-tests")
        logger.logLevel = .critical
        let sealer = OutboxSealer(vault: vault)
        let worker = DeliveryWorker(queue: storage, sealer: sealer, senders: senders, configuration: configuration, clock: clock,
                                    random: random, logger: logger)
        return WorkerHarness(storage: storage, clock: clock, worker: worker, sealer: sealer)
    }

    /// Enqueues a message the way the service does, and returns its id.
    @discardableResult
    func enqueue(channel: String = "email", recipient: String = "ada@example.com", body: String = "Your sign-in code is: ABC234",
                 state: OutboxRecord.State = .queued) async throws -> Int64 {
        let now = clock.now()
        return try await storage.write { [sealer] tx in
            let id = try await tx.newOutboxID()
            let sealed = try sealer.seal(OutboxContent(body: body, code: "ABC234", linkToken: "link-token"), messageID: id)
            try await tx.enqueueOutbox(OutboxRecord(id: id, createdAt: now, channel: channel, recipient: recipient,
                                              subject: "Your mfad sign-in code", sealedContent: sealed, state: state))
            return id
        }
    }

    func message(_ id: Int64) async throws -> OutboxRecord {
        try await #require(try await storage.read { tx in try await tx.outboxMessages() }.first { $0.id == id })
    }

    func advance(_ seconds: Int64) throws {
        try clock.advance(bySeconds: seconds)
    }
}
