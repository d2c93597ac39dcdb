import MFAClient
import MFAWire
import Testing

/// SPEC 3 sessions: opaque tokens, `ValidateSession`, `Logout`, lifetime (12 h by default).
@Suite(.serialized) struct SessionTests {
    @Test func validateSessionNamesTheAccount() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let verified = try await mfad.verifyCorrect(try await mfad.loginForCode(account))
            let session = try await mfad.validate(verified.sessionToken)
            #expect(session.accountID == account.id)
            #expect(session.email == account.email)
            #expect(session.plan == "pro")
            #expect(session.workspace == "acme")
            #expect(session.expiresUnix == verified.sessionExpiresUnix)
            #expect(session.expiresUnix == testClockStart + 12 * 3600)
        }
    }

    @Test func emailIsStoredNormalised() async throws {
        try await withMfad { mfad in
            let created = try await mfad.client.createAccount(CreateAccountRequest(
                email: "  Bob@Example.COM ", password: defaultPassword, phone: "+41 79 123-45-67", plan: "pro", workspace: "acme"))
            try await mfad.verifyContacts(accountID: created.accountID, email: "bob@example.com", phone: "+41791234567")
            let login = try await mfad.client.login(LoginRequest(email: "bob@example.com", password: defaultPassword))
            let session = try await mfad.validate(login.sessionToken)
            #expect(session.accountID == created.accountID)
            #expect(session.email == "bob@example.com")
        }
    }

    @Test func loggedOutSessionIsInvalid() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let token = try await mfad.verifyCorrect(try await mfad.loginForCode(account)).sessionToken
            _ = try await mfad.client.logout(LogoutRequest(sessionToken: token))
            await expectError(.invalidSession) { try await mfad.validate(token) }
            await expectError(.invalidSession) { try await mfad.client.logout(LogoutRequest(sessionToken: token)) }
        }
    }

    @Test func logoutEndsOnlyThatSession() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")  // no enforcement: sessions at once
            let first = try await mfad.login(account).sessionToken
            let second = try await mfad.login(account).sessionToken
            #expect(first != second)
            _ = try await mfad.client.logout(LogoutRequest(sessionToken: first))
            await expectError(.invalidSession) { try await mfad.validate(first) }
            #expect(try await mfad.validate(second).accountID == account.id)
        }
    }

    /// Free text, and a well-formed token (32 bytes, base64url) that was never issued.
    @Test(arguments: ["garbage", String(repeating: "A", count: 43)])
    func unknownTokenIsAnInvalidSession(token: String) async throws {
        try await withMfad { mfad in
            await expectError(.invalidSession) { try await mfad.validate(token) }
        }
    }

    @Test func sessionExpiresAfterTwelveHours() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            let login = try await mfad.login(account)
            #expect(login.sessionExpiresUnix == testClockStart + 12 * 3600)
            try await mfad.advanceClock(12 * 3600 - 1)
            #expect(try await mfad.validate(login.sessionToken).accountID == account.id)
            try await mfad.advanceClock(2)
            await expectError(.invalidSession) { try await mfad.validate(login.sessionToken) }
        }
    }
}
