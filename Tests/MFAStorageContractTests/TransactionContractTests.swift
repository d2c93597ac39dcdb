import MFAStorageTestSupport
import MFACore
import NIOConcurrencyHelpers
import Testing

@Suite("Contract: transactions and concurrency")
struct TransactionContractTests {
    @Test(arguments: Engine.allCases)
    func aThrowingBodyLeavesNothingAndItsErrorComesBackUnchanged(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            await #expect(throws: BodyError(reason: "changed my mind")) {
                try await storage.write { tx in
                    try await tx.insertAccount(Fixtures.account())
                    try await tx.enqueueOutbox(Fixtures.outbox(id: tx.newOutboxID()))
                    try await tx.setSetting("k", "v")
                    throw BodyError(reason: "changed my mind")
                }
            }
            let (account, outbox, setting) = try await storage.read { tx in
                (try await tx.account(id: "acct-1"), try await tx.outboxMessages(), try await tx.setting("k"))
            }
            #expect(account == nil)
            #expect(outbox.isEmpty)
            #expect(setting == nil)
            // The store is usable afterwards.
            try await storage.write { try await $0.insertAccount(Fixtures.account()) }
            #expect(try await storage.read { try await $0.account(id: "acct-1") } != nil)
        }
    }

    @Test(arguments: Engine.allCases)
    func commitActionsRunOnceAfterTheCommitAndNeverAfterARollback(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let ran = NIOLockedValueBox<[String]>([])
            try await storage.write { tx in
                try await tx.setSetting("k", "v")
                tx.afterCommit.append { ran.withLockedValue { $0.append("first") } }
                tx.afterCommit.append { ran.withLockedValue { $0.append("second") } }
                // Not yet: the body has not committed.
                #expect(ran.withLockedValue { $0 }.isEmpty)
            }
            #expect(ran.withLockedValue { $0 } == ["first", "second"])
            await #expect(throws: BodyError(reason: "rolled back")) {
                try await storage.write { tx in
                    tx.afterCommit.append { ran.withLockedValue { $0.append("rolled back") } }
                    throw BodyError(reason: "rolled back")
                }
            }
            #expect(ran.withLockedValue { $0 } == ["first", "second"])
        }
    }

    @Test(arguments: Engine.allCases)
    func readsRefuseWrites(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            await #expect(throws: (any Error).self) {
                try await storage.read { try await $0.setSetting("k", "v") }
            }
            let value = try await storage.read { try await $0.setting("k") }
            #expect(value == nil)
        }
    }

    @Test(arguments: Engine.allCases)
    func concurrentReadModifyWritesAreSerialised(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            try await storage.write { try await $0.insertAccount(Fixtures.account()) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await storage.write { tx in
                            guard var account = try await tx.account(id: "acct-1") else { throw BodyError(reason: "no account") }
                            account.attempts.consecutiveFailures += 1
                            try await tx.updateAttempts(accountID: "acct-1", account.attempts)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await storage.read { try await $0.account(id: "acct-1") }?.attempts.consecutiveFailures == 20)
        }
    }

    @Test(arguments: Engine.allCases)
    func aCodeIsUsedOnceUnderConcurrency(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            try await storage.write { tx in
                try await tx.insertAccount(Fixtures.account())
                try await tx.replaceRecoveryCodes(accountID: "acct-1", digests: [Fixtures.bytes(1)])
            }
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        try await storage.write { tx in
                            guard let code = try await tx.unusedRecoveryCodes(accountID: "acct-1").first else { return false }
                            try await tx.markRecoveryCodeUsed(id: code.id, at: Fixtures.at(Int64(index)))
                            return true
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
            #expect(try await storage.read { try await $0.unusedRecoveryCodes(accountID: "acct-1") }.isEmpty)
        }
    }

    @Test(arguments: Engine.allCases)
    func concurrentClaimsNeverShareAMessage(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            try await storage.write { tx in
                for index in 0..<40 { try await tx.enqueueOutbox(Fixtures.outbox(id: tx.newOutboxID(), recipient: "r\(index)@example.com")) }
            }
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await storage.claimDue(now: Fixtures.t0, limit: 5, leaseSeconds: 60, channels: ["email"],
                                                   messageIDDomain: "d").map(\.id)
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let ids = claims.flatMap { $0 }
            #expect(ids.count == 40)
            #expect(Set(ids).count == ids.count)
        }
    }

    @Test(arguments: Engine.allCases)
    func readsSeeCommittedWrites(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            for index in 0..<5 {
                try await storage.write { try await $0.setSetting("counter", "\(index)") }
                #expect(try await storage.read { try await $0.setting("counter") } == "\(index)")
            }
        }
    }
}
