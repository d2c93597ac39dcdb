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
    private(set) var attempts: [OutboxRecord] = []
    private(set) var accepted: [OutboxRecord] = []
    /// Runs inside `send`, before it answers (e.g. to look at the outbox meanwhile).
    private let during: (@Sendable (OutboxRecord) async -> Void)?

    init(script: [Bool] = [], during: (@Sendable (OutboxRecord) async -> Void)? = nil) {
        self.script = script
        self.during = during
    }

    func send(_ message: OutboxRecord) async throws {
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

    func send(_ message: OutboxRecord) async throws {
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

    static func make(senders: [String: any MessageSender], random: any RandomSource = SeededRandomSource(seed: 1),
                     configure: (inout DeliveryConfiguration) -> Void = { _ in }) async throws -> WorkerHarness {
        var configuration = DeliveryConfiguration(mailFrom: "mfad <no-reply@example.com>")
        configure(&configuration)
        let storage = try await SQLiteMFAStorage.openInMemory()
        let clock = ManualClock()
        var logger = Logger(label: "delivery-tests")
        logger.logLevel = .critical
        let worker = DeliveryWorker(queue: storage, senders: senders, configuration: configuration, clock: clock,
                                    random: random, logger: logger)
        return WorkerHarness(storage: storage, clock: clock, worker: worker)
    }

    /// Enqueues a message the way the service does, and returns its id.
    @discardableResult
    func enqueue(channel: String = "email", recipient: String = "ada@example.com", body: String = "Your sign-in code is: ABC234",
                 state: OutboxRecord.State = .queued) async throws -> Int64 {
        let now = clock.now()
        return try await storage.write { tx in
            try tx.enqueueOutbox(OutboxRecord(createdAt: now, channel: channel, recipient: recipient, subject: "Your mfad sign-in code",
                                              body: body, code: "ABC234", linkToken: "link-token", state: state))
            return try tx.outboxMessages().last!.id
        }
    }

    func message(_ id: Int64) async throws -> OutboxRecord {
        try #require(try await storage.read { tx in try tx.outboxMessages() }.first { $0.id == id })
    }

    func advance(_ seconds: Int64) throws {
        try clock.advance(bySeconds: seconds)
    }
}
