import MFAStorageTestSupport
import MFACore
import Testing

@Suite("Contract: outbox, audit trail, delivery queue")
struct OutboxContractTests {
    @Test(arguments: Engine.allCases)
    func enqueueAndAuditOldestFirst(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            try await storage.write { tx in
                try await tx.enqueueOutbox(Fixtures.outbox(id: tx.newOutboxID(), recipient: "first@example.com", at: 5))
                var held = try await Fixtures.outbox(id: tx.newOutboxID(), channel: "sms", recipient: "+15550100", at: 1)
                held.state = .held
                held.messageID = "<preset@example.com>"
                held.sealedContent = [1, 2, 3]
                try await tx.enqueueOutbox(held)
                try await tx.appendAudit(AuditRecord(at: Fixtures.at(1), accountID: "acct-1", kind: .loginOK))
                try await tx.appendAudit(AuditRecord(at: Fixtures.at(2), accountID: "acct-2", kind: .locked, detail: "until support"))
                try await tx.appendAudit(AuditRecord(at: Fixtures.at(3), accountID: "acct-1", kind: .codeWrong, detail: "1 of 5"))
            }
            let messages = try await storage.read { try await $0.outboxMessages() }
            #expect(messages.map(\.recipient) == ["first@example.com", "+15550100"])
            #expect(messages[0].state == .queued && messages[1].state == .held)
            #expect(messages[0].sealedContent == Fixtures.bytes(UInt8(truncatingIfNeeded: messages[0].id)) + [0xA5])
            #expect(messages[1].sealedContent == [1, 2, 3])
            #expect(messages[0].messageID == nil && messages[1].messageID == "<preset@example.com>")
            #expect(messages[0].nextAttemptAt == Timestamp(unixSeconds: 0))
            #expect(messages[0].attempts == 0 && messages[0].lastError == "" && messages[0].sentAt == nil)
            #expect(messages[0].id < messages[1].id)

            let all = try await storage.read { try await $0.auditEvents(accountID: nil, since: Fixtures.t0, limit: 10) }
            #expect(all.map(\.kind) == [.loginOK, .locked, .codeWrong])
            #expect(all[1].detail == "until support")
            let mine = try await storage.read { try await $0.auditEvents(accountID: "acct-1", since: Fixtures.t0, limit: 10) }
            #expect(mine.map(\.kind) == [.loginOK, .codeWrong])
            let recent = try await storage.read { try await $0.auditEvents(accountID: nil, since: Fixtures.at(2), limit: 10) }
            #expect(recent.map(\.kind) == [.locked, .codeWrong])
            let limited = try await storage.read { try await $0.auditEvents(accountID: nil, since: Fixtures.t0, limit: 2) }
            #expect(limited.map(\.kind) == [.loginOK, .locked])
        }
    }

    @Test(arguments: Engine.allCases)
    func claimDueLeasesOldestDueOnChosenChannels(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            try await storage.write { tx in
                for index in 0..<4 { try await tx.enqueueOutbox(Fixtures.outbox(id: tx.newOutboxID(), recipient: "e\(index)@example.com", at: Int64(index))) }
                try await tx.enqueueOutbox(Fixtures.outbox(id: tx.newOutboxID(), channel: "sms", recipient: "+1555"))
                var held = try await Fixtures.outbox(id: tx.newOutboxID(), recipient: "held@example.com")
                held.state = .held
                try await tx.enqueueOutbox(held)
            }
            let now = Fixtures.at(100)
            let first = try await storage.claimDue(now: now, limit: 2, leaseSeconds: 60, channels: ["email"], messageIDDomain: "mfa.example")
            #expect(first.map(\.recipient) == ["e0@example.com", "e1@example.com"])
            for message in first {
                #expect(message.nextAttemptAt == now.adding(seconds: 60))
                let id = try #require(message.messageID)
                let local = id.split(separator: "@").first.map(String.init) ?? ""
                #expect(id.hasSuffix("@mfa.example"))
                #expect(local.count == 32 && local.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            }
            let second = try await storage.claimDue(now: now, limit: 10, leaseSeconds: 60, channels: ["email"], messageIDDomain: "mfa.example")
            #expect(second.map(\.recipient) == ["e2@example.com", "e3@example.com"])
            #expect(try await storage.claimDue(now: now, limit: 10, leaseSeconds: 60, channels: ["email"], messageIDDomain: "x").isEmpty)
            #expect(try await storage.claimDue(now: now, limit: 10, leaseSeconds: 60, channels: [], messageIDDomain: "x").isEmpty)

            // Released: due again at once, Message-ID kept.
            try await storage.release(ids: [first[0].id], at: now)
            let again = try await storage.claimDue(now: now, limit: 10, leaseSeconds: 30, channels: ["email", "sms"], messageIDDomain: "other")
            #expect(again.map(\.recipient) == ["+1555", "e0@example.com"])
            #expect(again[1].messageID == first[0].messageID)

            // After their leases end (e0: 30 s, the rest 60 s) the messages come back by themselves.
            let later = try await storage.claimDue(now: now.adding(seconds: 61), limit: 10, leaseSeconds: 60, channels: ["email"],
                                                   messageIDDomain: "x")
            #expect(later.map(\.recipient) == ["e0@example.com", "e1@example.com", "e2@example.com", "e3@example.com"])
        }
    }

    @Test(arguments: Engine.allCases)
    func outcomesAndCounts(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            try await storage.write { tx in
                for index in 0..<3 { try await tx.enqueueOutbox(Fixtures.outbox(id: tx.newOutboxID(), recipient: "r\(index)@example.com")) }
            }
            let claimed = try await storage.claimDue(now: Fixtures.t0, limit: 3, leaseSeconds: 60, channels: ["email"], messageIDDomain: "d")
            #expect(claimed.count == 3)
            try await storage.markSent(id: claimed[0].id, at: Fixtures.at(1))
            try await storage.markRetry(id: claimed[1].id, attempts: 1, nextAttemptAt: Fixtures.at(300), error: "421 try later")
            try await storage.markDead(id: claimed[2].id, attempts: 5, error: "550 no such user")
            // Outcomes only apply to queued messages.
            try await storage.markRetry(id: claimed[0].id, attempts: 9, nextAttemptAt: Fixtures.at(1), error: "late")

            let messages = try await storage.read { try await $0.outboxMessages() }
            #expect(messages[0].state == .sent && messages[0].sentAt == Fixtures.at(1) && messages[0].attempts == 0)
            #expect(messages[1].state == .queued && messages[1].attempts == 1 && messages[1].lastError == "421 try later")
            #expect(messages[1].nextAttemptAt == Fixtures.at(300))
            #expect(messages[2].state == .dead && messages[2].attempts == 5 && messages[2].lastError == "550 no such user")
            // Sent and dead messages are scrubbed; the one still queued keeps its sealed content.
            #expect(messages[0].sealedContent == nil && messages[2].sealedContent == nil)
            #expect(messages[1].sealedContent != nil)

            let counts = try await storage.counts()
            #expect(counts == [.queued: 1, .held: 0, .sent: 1, .dead: 1])
        }
    }

    @Test(arguments: Engine.allCases)
    func outboxIDsAreNewEvenInOneTransaction(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let ids = try await storage.write { tx in
                var ids: [Int64] = []
                for _ in 0..<3 {
                    let id = try await tx.newOutboxID()
                    try await tx.enqueueOutbox(Fixtures.outbox(id: id))
                    ids.append(id)
                }
                return ids
            }
            #expect(Set(ids).count == 3)
            #expect(try await storage.read { try await $0.outboxMessages() }.map(\.id) == ids)
        }
    }
}
