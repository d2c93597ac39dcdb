import MFAStorageTestSupport
import MFACore
import Testing

@Suite("Contract: contact codes, invitations, API keys")
struct SignupAndKeyContractTests {
    @Test(arguments: Engine.allCases)
    func contactCodesPerChannelOldestFirst(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            try await storage.write { tx in
                try await tx.insertAccount(Fixtures.account())
                for (seed, channel) in [(UInt8(1), ContactChannel.email), (2, .sms), (3, .email)] {
                    try await tx.insertContactCode(ContactCodeRecord(accountID: "acct-1", channel: channel, digest: Fixtures.bytes(seed),
                                                               issuedAt: Fixtures.at(Int64(seed)), expiresAt: Fixtures.at(900)))
                }
            }
            let email = try await storage.read { try await $0.contactCodes(accountID: "acct-1", channel: .email) }
            #expect(email.map(\.digest) == [Fixtures.bytes(1), Fixtures.bytes(3)])
            #expect(email.allSatisfy { $0.channel == .email && $0.status == .active && $0.accountID == "acct-1" })
            #expect(email[0].issuedAt == Fixtures.at(1))
            #expect(try await storage.read { try await $0.contactCodes(accountID: "acct-1", channel: .sms) }.count == 1)

            try await storage.write { try await $0.setContactCodeStatus(id: email[0].id, .superseded) }
            #expect(try await storage.read { try await $0.contactCodes(accountID: "acct-1", channel: .email) }.map(\.status)
                    == [.superseded, .active])
        }
    }

    @Test(arguments: Engine.allCases)
    func invitationsAcceptOnce(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let invitation = InvitationRecord(id: "inv-1", tokenDigest: Fixtures.bytes(8), workspace: "ws-1", plan: "pro",
                                              email: "new@example.com", inviterAccountID: "acct-1", createdAt: Fixtures.t0,
                                              expiresAt: Fixtures.at(86_400))
            try await storage.write { tx in
                try await tx.insertAccount(Fixtures.account())
                try await tx.insertInvitation(invitation)
            }
            #expect(try await storage.read { try await $0.invitation(tokenDigest: Fixtures.bytes(8)) } == invitation)
            #expect(try await storage.read { try await $0.invitation(tokenDigest: Fixtures.bytes(9)) } == nil)
            try await storage.write { try await $0.markInvitationAccepted(id: "inv-1", at: Fixtures.at(60)) }
            #expect(try await storage.read { try await $0.invitation(tokenDigest: Fixtures.bytes(8)) }?.acceptedAt == Fixtures.at(60))
        }
    }

    @Test(arguments: Engine.allCases)
    func apiKeysListAndRevokeCounts(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let keys = [
                APIKeyRecord(id: "k-b", service: "billing", keyDigest: Fixtures.bytes(1), createdAt: Fixtures.at(10)),
                APIKeyRecord(id: "k-a", service: "billing", keyDigest: Fixtures.bytes(2), createdAt: Fixtures.at(10)),
                APIKeyRecord(id: "k-c", service: "web", keyDigest: Fixtures.bytes(3), createdAt: Fixtures.at(5)),
            ]
            try await storage.write { tx in for key in keys { try await tx.insertAPIKey(key) } }
            #expect(try await storage.read { try await $0.apiKey(digest: Fixtures.bytes(2)) } == keys[1])
            #expect(try await storage.read { try await $0.apiKey(digest: Fixtures.bytes(4)) } == nil)
            // Oldest first; equal times by id.
            #expect(try await storage.read { try await $0.apiKeys() }.map(\.id) == ["k-c", "k-a", "k-b"])

            #expect(try await storage.write { try await $0.revokeAPIKeys(idOrService: "k-c", at: Fixtures.at(20)) } == 1)
            #expect(try await storage.write { try await $0.revokeAPIKeys(idOrService: "k-c", at: Fixtures.at(21)) } == 0)
            #expect(try await storage.write { try await $0.revokeAPIKeys(idOrService: "billing", at: Fixtures.at(22)) } == 2)
            #expect(try await storage.write { try await $0.revokeAPIKeys(idOrService: "nothing", at: Fixtures.at(23)) } == 0)
            let revoked = try await storage.read { try await $0.apiKeys() }
            #expect(revoked.map(\.revokedAt) == [Fixtures.at(20), Fixtures.at(22), Fixtures.at(22)])
        }
    }
}
