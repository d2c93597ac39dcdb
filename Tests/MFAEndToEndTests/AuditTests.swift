import MFAClient
import MFAWire
import Testing

/// SPEC 3 audit: every security event, with time and account, oldest first.
@Suite(.serialized) struct AuditTests {
    @Test func loginWithAWrongThenARightCodeIsAudited() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(challenge) }
            _ = try await mfad.verifyCorrect(challenge)

            let events = try await mfad.auditEvents(account)
            // Sign-up's own events (the confirmation codes sent and used) come first; look at the login's.
            let signUp: Set<String> = ["account_created", "contact_verified"]
            let kinds = events.filter { !signUp.contains($0.kind) && !$0.detail.hasPrefix("contact") }.map(\.kind)
            #expect(kinds.contains("login_ok"), "\(kinds)")
            for kind in ["code_sent", "code_wrong", "code_ok"] {
                #expect(kinds.filter { $0 == kind }.count == 1, "\(kind) in \(kinds)")
            }
            // Oldest first: the code was sent before it was checked, wrong before right.
            let index = { (kind: String) in kinds.firstIndex(of: kind) ?? -1 }
            #expect(index("code_sent") < index("code_wrong"))
            #expect(index("code_wrong") < index("code_ok"))
            #expect(events.map(\.id) == events.map(\.id).sorted())
            #expect(events.allSatisfy { $0.accountID == account.id && $0.timeUnix == testClockStart })
        }
    }

    @Test func sinceAfterTheEventsListsNothing() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verifyWrong(challenge) }
            _ = try await mfad.verifyCorrect(challenge)
            let now = try await mfad.advanceClock(10)

            #expect(try await mfad.auditEvents(account, since: now).isEmpty)
            #expect(try await mfad.auditEvents(account, since: testClockStart).isEmpty == false)  // since is inclusive
        }
    }

    @Test func lockIsAudited() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            await mfad.lock(try await mfad.loginForCode(account))
            let kinds = try await mfad.auditKinds(account)
            #expect(kinds.filter { $0 == "code_wrong" }.count == 3)
            #expect(kinds.filter { $0 == "locked" }.count == 1)
            #expect((kinds.lastIndex(of: "code_wrong") ?? .max) < (kinds.firstIndex(of: "locked") ?? -1))

            _ = try await mfad.client.unlockAccount(UnlockAccountRequest(accountID: account.id))
            #expect(try await mfad.auditKinds(account).last == "unlocked")
        }
    }

    @Test func wrongPasswordIsAuditedAsLoginFailed() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            await expectError(.invalidCredentials) { try await mfad.login(account, password: "not the password") }
            #expect(try await mfad.auditKinds(account).contains("login_failed"))
        }
    }
}
