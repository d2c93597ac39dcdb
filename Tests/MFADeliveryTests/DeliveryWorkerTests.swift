import Foundation
import MFAProcessTestSupport
import MFACore
import MFADelivery
import MFAStore
import ServiceLifecycleTestKit
import Testing

@Suite("Delivery worker")
struct DeliveryWorkerTests {
    @Test("a message is marked sent only after the sender accepted it")
    func sentOnlyAfterAcceptance() async throws {
        let seenDuringSend = StateProbe()
        let sender = FakeSender(during: { message in await seenDuringSend.record(message.id) })
        let harness = try await WorkerHarness.make(senders: ["email": sender])
        await seenDuringSend.attach(harness.storage)
        let id = try await harness.enqueue()
        try harness.advance(5)

        let pass = await harness.worker.deliverDue()

        #expect(pass.sent == 1 && pass.retried == 0 && pass.dead == 0)
        #expect(await seenDuringSend.states == [.queued])
        let message = try await harness.message(id)
        #expect(message.state == .sent)
        #expect(message.sentAt == Timestamp.testModeStart + 5)
        #expect(message.attempts == 0)
        #expect(await sender.accepted.map(\.id) == [id])
        // Nothing is due any more.
        #expect(await harness.worker.deliverDue() == DeliveryWorker.Pass())
    }

    @Test("failures retry with back-off 30 s, 60 s, 120 s... capped at 1 h, and keep the reason")
    func retriesWithBackoff() async throws {
        let sender = FakeSender(script: Array(repeating: false, count: 9))
        let harness = try await WorkerHarness.make(senders: ["email": sender]) {
            $0.maxAttempts = 10
            $0.backoff.jitterPercent = 0
        }
        let id = try await harness.enqueue()
        let expectedDelays: [Int64] = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
        for (index, delay) in expectedDelays.enumerated() {
            let pass = await harness.worker.deliverDue()
            #expect(pass.retried == 1, "attempt \(index + 1)")
            let message = try await harness.message(id)
            #expect(message.state == .queued)
            #expect(message.attempts == index + 1)
            #expect(message.nextAttemptAt == harness.clock.now() + delay, "attempt \(index + 1)")
            #expect(message.lastError == "transfer failed: SMTP: Couldn't connect to server")
            // Not due a second earlier...
            try harness.advance(delay - 1)
            #expect(await harness.worker.deliverDue() == DeliveryWorker.Pass())
            // ...due exactly at the retry time.
            try harness.advance(1)
        }
        #expect(await harness.worker.deliverDue().sent == 1)
        let message = try await harness.message(id)
        #expect(message.state == .sent)
        #expect(message.lastError == "")
        #expect(await sender.attempts.count == 10)
    }

    @Test("jitter shortens the delay by at most 10 percent, from the injected random source")
    func jitter() {
        let backoff = DeliveryBackoff()
        var seen = Set<Int64>()
        let random = SeededRandomSource(seed: 7)
        for _ in 0..<200 {
            let delay = backoff.delay(afterFailures: 3, random: random)
            #expect((108...120).contains(delay))
            seen.insert(delay)
        }
        #expect(seen.count > 5)
        #expect(DeliveryBackoff(jitterPercent: 0).delay(afterFailures: 3, random: random) == 120)
        #expect(backoff.nominalDelay(afterFailures: 1) == 30)
        #expect(backoff.nominalDelay(afterFailures: 100) == 3600)
        #expect(DeliveryBackoff(baseSeconds: 1, maximumSeconds: 1, jitterPercent: 10).delay(afterFailures: 1, random: random) == 1)
    }

    @Test("the worker's retry times are the back-off computed from the same random source")
    func retryTimesUseInjectedRandomness() async throws {
        let sender = FakeSender(script: Array(repeating: false, count: 5))
        let harness = try await WorkerHarness.make(senders: ["email": sender], random: SeededRandomSource(seed: 99))
        let expected = SeededRandomSource(seed: 99)
        let id = try await harness.enqueue()
        for failures in 1...5 {
            #expect(await harness.worker.deliverDue().retried == 1)
            let delay = DeliveryBackoff().delay(afterFailures: failures, random: expected)
            let nominal = DeliveryBackoff().nominalDelay(afterFailures: failures)
            #expect(delay <= nominal && delay >= nominal - nominal / 10)
            let message = try await harness.message(id)
            #expect(message.nextAttemptAt == harness.clock.now() + delay)
            try harness.advance(delay)
        }
    }

    @Test("after max attempts the message is dead and never tried again")
    func deadAfterMaxAttempts() async throws {
        let sender = FakeSender(script: Array(repeating: false, count: 10))
        let harness = try await WorkerHarness.make(senders: ["email": sender]) { $0.maxAttempts = 3 }
        let id = try await harness.enqueue()
        #expect(await harness.worker.deliverDue().retried == 1)
        try harness.advance(30)
        #expect(await harness.worker.deliverDue().retried == 1)
        try harness.advance(60)
        #expect(await harness.worker.deliverDue().dead == 1)
        let message = try await harness.message(id)
        #expect(message.state == .dead)
        #expect(message.attempts == 3)
        #expect(message.lastError.contains("Couldn't connect"))
        try harness.advance(100_000)
        #expect(await harness.worker.deliverDue() == DeliveryWorker.Pass())
        #expect(await sender.attempts.count == 3)
        let counts = try await harness.storage.counts()
        #expect(counts == [.queued: 0, .held: 0, .sent: 0, .dead: 1])
    }

    @Test("a claimed message that was never finished is sent after its lease (at least once)")
    func expiredClaimIsRetried() async throws {
        let sender = FakeSender()
        let harness = try await WorkerHarness.make(senders: ["email": sender]) { $0.leaseSeconds = 600 }
        let id = try await harness.enqueue()
        // A worker claims the message, then dies before sending it.
        let claimed = try await harness.storage.claimDue(now: harness.clock.now(), limit: 10, leaseSeconds: 600,
                                                         channels: ["email"], messageIDDomain: "example.com")
        #expect(claimed.map(\.id) == [id])
        let messageID = try #require(claimed.first?.messageID)

        #expect(await harness.worker.deliverDue() == DeliveryWorker.Pass())
        try harness.advance(599)
        #expect(await harness.worker.deliverDue() == DeliveryWorker.Pass())
        try harness.advance(1)
        #expect(await harness.worker.deliverDue().sent == 1)
        #expect(await sender.accepted.map(\.messageID) == [messageID])
        #expect(try await harness.message(id).state == .sent)
    }

    @Test("every retry carries the Message-ID of the first attempt")
    func messageIDIsStable() async throws {
        let sender = FakeSender(script: [false, false, true])
        let harness = try await WorkerHarness.make(senders: ["email": sender])
        let id = try await harness.enqueue()
        #expect(try await harness.message(id).messageID == nil)
        await harness.worker.deliverDue()
        try harness.advance(30)
        await harness.worker.deliverDue()
        try harness.advance(60)
        await harness.worker.deliverDue()
        let ids = await sender.attempts.map(\.messageID)
        #expect(ids.count == 3)
        let first = try #require(ids.first ?? nil)
        #expect(ids.allSatisfy { $0 == first })
        #expect(try await harness.message(id).messageID == first)
        // 32 hex digits, '@', the domain of --mail-from.
        let parts = first.split(separator: "@")
        #expect(parts.count == 2 && parts[1] == "example.com")
        #expect(parts[0].count == 32 && parts[0].allSatisfy(\.isHexDigit))
    }

    @Test("each message gets its own Message-ID")
    func messageIDsAreUnique() async throws {
        let sender = FakeSender()
        let harness = try await WorkerHarness.make(senders: ["email": sender])
        for _ in 0..<25 { try await harness.enqueue() }
        let pass = await harness.worker.deliverDue()
        #expect(pass.sent == 25)
        #expect(Set(await sender.accepted.compactMap(\.messageID)).count == 25)
    }

    @Test("messages of a channel without a sender, and held messages, stay untouched")
    func unconfiguredChannelsStayQueued() async throws {
        let sender = FakeSender()
        let harness = try await WorkerHarness.make(senders: ["email": sender])
        let sms = try await harness.enqueue(channel: "sms", recipient: "+41791234567")
        let held = try await harness.enqueue(state: .held)
        let email = try await harness.enqueue()
        #expect(await harness.worker.deliverDue().sent == 1)
        #expect(await sender.accepted.map(\.id) == [email])
        #expect(try await harness.message(sms).state == .queued)
        #expect(try await harness.message(sms).messageID == nil)
        #expect(try await harness.message(held).state == .held)
    }

    @Test("a poke delivers at once, without waiting for the poll")
    func pokeWakesTheWorker() async throws {
        let sender = FakeSender()
        let harness = try await WorkerHarness.make(senders: ["email": sender]) { $0.pollInterval = .seconds(3600) }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await harness.worker.run() }
                // Let the first (empty) pass happen, then enqueue and poke.
                try await Task.sleep(for: .milliseconds(100))
                let id = try await harness.enqueue()
                harness.worker.poke()
                try await waitUntil("the poked worker sent the message") { await sender.accepted.map(\.id) == [id] }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test("the worker polls for due messages without a poke")
    func workerPolls() async throws {
        let sender = FakeSender()
        let harness = try await WorkerHarness.make(senders: ["email": sender]) { $0.pollInterval = .milliseconds(50) }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await harness.worker.run() }
                try await Task.sleep(for: .milliseconds(100))
                let id = try await harness.enqueue()
                try await waitUntil("the polling worker sent the message") { await sender.accepted.map(\.id) == [id] }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test("graceful shutdown finishes the message being sent and hands back the rest")
    func gracefulShutdownFinishesCurrentMessage() async throws {
        let sender = GateSender()
        let harness = try await WorkerHarness.make(senders: ["email": sender])
        let first = try await harness.enqueue()
        let second = try await harness.enqueue()
        let third = try await harness.enqueue()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await harness.worker.run() }
                try await waitUntil("the first message is being sent") { await sender.started == [first] }
                trigger.triggerGracefulShutdown()
                try await Task.sleep(for: .milliseconds(50))
                await sender.open()
                try await group.waitForAll()
            }
        }
        #expect(await sender.finished == [first])
        #expect(try await harness.message(first).state == .sent)
        for id in [second, third] {
            let message = try await harness.message(id)
            #expect(message.state == .queued)
            #expect(message.attempts == 0)
            // Handed back: due again right away, not at the end of the lease.
            #expect(message.nextAttemptAt == harness.clock.now())
        }
    }

    @Test("the configuration checks its settings and never prints secrets")
    func configuration() throws {
        var configuration = DeliveryConfiguration(smtpURL: "smtp://127.0.0.1:2525", smtpUser: "mailer", smtpPassword: "s3cret-pw",
                                                  mailFrom: "mfad <no-reply@example.com>", smsGatewayURL: "https://sms.example.com/send",
                                                  smsToken: "tok-123")
        #expect(!configuration.description.contains("s3cret-pw"))
        #expect(!configuration.description.contains("tok-123"))
        #expect(configuration.messageIDDomain == "example.com")
        #expect(try configuration.makeSenders().keys.sorted() == ["email", "sms"])

        configuration.smtpPassword = nil
        #expect(throws: DeliveryError.self) { try configuration.makeSenders() }
        configuration.smtpPassword = "s3cret-pw"
        configuration.smtpURL = "smtp://mailer:s3cret-pw@mail.example.com"
        let error = try #require(throws: DeliveryError.self) { try configuration.makeSenders() }
        #expect(!error.description.contains("s3cret-pw"))
        configuration.smtpURL = "http://mail.example.com"
        #expect(throws: DeliveryError.self) { try configuration.makeSenders() }
        configuration.smtpURL = "smtp://mail.example.com"
        configuration.mailFrom = nil
        #expect(throws: DeliveryError.self) { try configuration.makeSenders() }
        configuration.mailFrom = "no-reply@example.com"
        configuration.maxAttempts = 0
        #expect(throws: DeliveryError.self) { try configuration.makeSenders() }
        #expect(DeliveryConfiguration().isConfigured == false)
        #expect(try DeliveryConfiguration().makeSenders().isEmpty)
    }

    @Test("credentials to a remote server require STARTTLS; loopback and no-credential servers try it")
    func tlsPolicy() throws {
        let from = try MailAddress(parsing: "a@example.com")
        #expect(try SMTPSender(url: "smtps://mail.example.com", from: from).tlsPolicy == .implicit)
        #expect(try SMTPSender(url: "smtp://mail.example.com:587", from: from).tlsPolicy == .startTLSIfOffered)
        #expect(try SMTPSender(url: "smtp://mail.example.com:587", user: "u", password: "p", from: from).tlsPolicy == .startTLSRequired)
        #expect(try SMTPSender(url: "smtp://127.0.0.1:2525", user: "u", password: "p", from: from).tlsPolicy == .startTLSIfOffered)
    }
}

/// Records the outbox state of messages while a sender holds them.
actor StateProbe {
    private var storage: SQLiteMFAStorage?
    private(set) var states: [OutboxRecord.State] = []

    func attach(_ storage: SQLiteMFAStorage) {
        self.storage = storage
    }

    func record(_ id: Int64) async {
        guard let storage, let message = try? await storage.read({ tx in try await tx.outboxMessages() }).first(where: { $0.id == id }) else {
            return
        }
        states.append(message.state)
    }
}
