import MFAStorageTestSupport
import MFACore
import Testing

@Suite("Contract: challenges, codes, sessions")
struct CodeContractTests {
    @Test(arguments: Engine.allCases)
    func challengesAndEmailCodes(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let challenge = Fixtures.challenge()
            try await storage.write { tx in
                try await tx.insertAccount(Fixtures.account())
                try await tx.insertChallenge(challenge)
                for seed in [UInt8(3), 1, 2] { try await tx.insertEmailCode(Fixtures.emailCode(seed: seed)) }
            }
            #expect(try await storage.read { try await $0.challenge(id: "ch-1") } == challenge)
            #expect(try await storage.read { try await $0.challenge(id: "other") } == nil)

            var changed = challenge
            changed.status = .completed
            changed.resendCount = 2
            changed.lastSentAt = Fixtures.at(99)
            changed.methods = [.recoveryCode]
            try await storage.write { [changed] in try await $0.updateChallenge(changed) }
            #expect(try await storage.read { try await $0.challenge(id: "ch-1") } == changed)

            let codes = try await storage.read { try await $0.emailCodes(challengeID: "ch-1") }
            // Oldest (first inserted) first, with ids the database gave.
            #expect(codes.map(\.codeDigest) == [Fixtures.bytes(3), Fixtures.bytes(1), Fixtures.bytes(2)])
            #expect(Set(codes.map(\.id)).count == 3)
            #expect(codes.allSatisfy { $0.id > 0 && $0.status == .active })
            #expect(codes.map(\.id) == codes.map(\.id).sorted())

            let byLink = try await storage.read { try await $0.emailCode(linkDigest: Fixtures.bytes(101)) }
            #expect(byLink == codes[1])
            #expect(try await storage.read { try await $0.emailCode(linkDigest: Fixtures.bytes(250)) } == nil)

            try await storage.write { try await $0.setEmailCodeStatus(id: codes[0].id, .used) }
            let after = try await storage.read { try await $0.emailCodes(challengeID: "ch-1") }
            #expect(after.map(\.status) == [.used, .active, .active])
            #expect(try await storage.read { try await $0.emailCodes(challengeID: "none") }.isEmpty)
        }
    }

    /// The joined read gives what the two reads give, revoked or not, and nothing for an unknown
    /// token; each session comes with its own account.
    @Test(arguments: Engine.allCases)
    func sessionWithAccountIsTheSessionAndItsAccount(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let first = SessionRecord(tokenDigest: Fixtures.bytes(10), accountID: "acct-1", createdAt: Fixtures.t0,
                                      expiresAt: Fixtures.at(3_600))
            let second = SessionRecord(tokenDigest: Fixtures.bytes(20), accountID: "acct-2", createdAt: Fixtures.at(1),
                                       expiresAt: Fixtures.at(7_200), revokedAt: Fixtures.at(2))
            try await storage.write { tx in
                try await tx.insertAccount(Fixtures.account("acct-1"))
                try await tx.insertAccount(Fixtures.account("acct-2"))
                try await tx.insertSession(first)
                try await tx.insertSession(second)
            }
            for session in [first, second] {
                let (joined, separate) = try await storage.read { tx in
                    let separate = try await tx.account(id: session.accountID)
                    return (try await tx.sessionWithAccount(tokenDigest: session.tokenDigest), separate)
                }
                #expect(joined?.0 == session)
                #expect(joined?.1 == separate)
                #expect(joined?.1.id == session.accountID)
            }
            #expect(try await storage.read { try await $0.sessionWithAccount(tokenDigest: Fixtures.bytes(200)) } == nil)
        }
    }

    @Test(arguments: Engine.allCases)
    func sessionsRevokeOnceAndPerAccount(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let sessions = (1...3).map { index in
                SessionRecord(tokenDigest: Fixtures.bytes(UInt8(index * 10)), accountID: "acct-1", createdAt: Fixtures.t0,
                              expiresAt: Fixtures.at(3_600))
            }
            try await storage.write { tx in
                try await tx.insertAccount(Fixtures.account())
                for session in sessions { try await tx.insertSession(session) }
            }
            #expect(try await storage.read { try await $0.session(tokenDigest: sessions[0].tokenDigest) } == sessions[0])
            #expect(try await storage.read { try await $0.session(tokenDigest: Fixtures.bytes(200)) } == nil)

            try await storage.write { try await $0.revokeSession(tokenDigest: sessions[0].tokenDigest, at: Fixtures.at(5)) }
            try await storage.write { try await $0.revokeSession(tokenDigest: sessions[0].tokenDigest, at: Fixtures.at(6)) }
            #expect(try await storage.read { try await $0.session(tokenDigest: sessions[0].tokenDigest) }?.revokedAt == Fixtures.at(5))

            try await storage.write { try await $0.revokeSessions(accountID: "acct-1", keeping: sessions[2].tokenDigest, at: Fixtures.at(7)) }
            let states = try await storage.read { tx in
                var states: [Timestamp?] = []
                for session in sessions { states.append(try await tx.session(tokenDigest: session.tokenDigest)?.revokedAt) }
                return states
            }
            #expect(states == [Fixtures.at(5), Fixtures.at(7), nil])

            try await storage.write { try await $0.revokeSessions(accountID: "acct-1", keeping: nil, at: Fixtures.at(8)) }
            #expect(try await storage.read { try await $0.session(tokenDigest: sessions[2].tokenDigest) }?.revokedAt == Fixtures.at(8))
        }
    }
}
