import MFAClient
import MFAWire
import Testing

/// SPEC 3: sign-up confirms email and phone before login; invitations create verified accounts;
/// security notices are emailed.
@Suite(.serialized) struct SignupAndInvitationTests {
    private let phone = "+41791234567"

    /// The newest confirmation code sent on `channel` to `address`.
    private func contactCode(_ mfad: TestMfad, _ channel: String, to address: String) async throws -> String {
        let message = try #require(try await mfad.outbox().last { $0.channel == channel && $0.to == address && !$0.code.isEmpty })
        return message.code
    }

    private func create(_ mfad: TestMfad, _ email: String) async throws -> String {
        try await mfad.client.createAccount(CreateAccountRequest(email: email, password: defaultPassword, phone: phone,
                                                                 plan: "pro", workspace: "acme")).accountID
    }

    private func login(_ mfad: TestMfad, _ email: String) async throws -> LoginResponse {
        try await mfad.client.login(LoginRequest(email: email, password: defaultPassword))
    }

    @Test func loginWaitsUntilEmailAndPhoneAreConfirmed() async throws {
        try await withMfad { mfad in
            let id = try await create(mfad, "new@example.com")
            let outbox = try await mfad.outbox()
            #expect(outbox.contains { $0.channel == "email" && $0.to == "new@example.com" && $0.code.count == 6 })
            #expect(outbox.contains { $0.channel == "sms" && $0.to == phone && $0.code.count == 6 })
            await expectError(.failedPrecondition) { try await login(mfad, "new@example.com") }

            let emailCode = try await contactCode(mfad, "email", to: "new@example.com")
            let afterEmail = try await mfad.client.verifyContact(VerifyContactRequest(accountID: id, channel: "email", code: emailCode))
            #expect(afterEmail.emailVerified && !afterEmail.phoneVerified)
            await expectError(.failedPrecondition) { try await login(mfad, "new@example.com") }

            let smsCode = try await contactCode(mfad, "sms", to: phone)
            let afterSMS = try await mfad.client.verifyContact(VerifyContactRequest(accountID: id, channel: "sms", code: smsCode.lowercased()))
            #expect(afterSMS.emailVerified && afterSMS.phoneVerified)
            #expect(!(try await login(mfad, "new@example.com")).sessionToken.isEmpty)
        }
    }

    @Test func contactCodesFollowTheRulesOfMfaCodes() async throws {
        try await withMfad { mfad in
            let id = try await create(mfad, "new@example.com")
            let code = try await contactCode(mfad, "email", to: "new@example.com")
            let wrong = Challenge.wrongCode(for: code)
            await expectInvalidCode(attemptsRemaining: 2) {
                try await mfad.client.verifyContact(VerifyContactRequest(accountID: id, channel: "email", code: wrong))
            }
            // Resend: too soon, then allowed after 60 s; the old code stops working.
            await expectError(.rateLimited, retryAfter: 60) {
                try await mfad.client.resendContactCode(ResendContactCodeRequest(accountID: id, channel: "email"))
            }
            try await mfad.advanceClock(60)
            let resent = try await mfad.client.resendContactCode(ResendContactCodeRequest(accountID: id, channel: "email"))
            #expect(resent.resendsRemaining == 4)
            await expectCodeExpired {
                try await mfad.client.verifyContact(VerifyContactRequest(accountID: id, channel: "email", code: code))
            }
            // The new code expires after 20 minutes.
            let fresh = try await contactCode(mfad, "email", to: "new@example.com")
            try await mfad.advanceClock(1200)
            await expectCodeExpired {
                try await mfad.client.verifyContact(VerifyContactRequest(accountID: id, channel: "email", code: fresh))
            }
            await expectError(.invalidArgument) {
                try await mfad.client.verifyContact(VerifyContactRequest(accountID: id, channel: "fax", code: fresh))
            }
        }
    }

    @Test func invitationCreatesAVerifiedAccountOnce() async throws {
        try await withMfad { mfad in
            let inviter = try await mfad.createAccount("boss@example.com")
            let session = try await mfad.login(inviter).sessionToken
            let invited = try await mfad.client.inviteUser(InviteUserRequest(workspace: "acme", email: "Guest@Example.com",
                                                                              inviterSessionToken: session))
            #expect(invited.expiresUnix == testClockStart + 7 * 86_400)
            let email = try #require(try await mfad.outbox().last { $0.to == "guest@example.com" })
            #expect(!email.linkToken.isEmpty)
            #expect(email.body.contains(email.linkToken))

            let accepted = try await mfad.client.acceptInvite(AcceptInviteRequest(token: email.linkToken, password: "guest password"))
            let login = try await mfad.client.login(LoginRequest(email: "guest@example.com", password: "guest password"))
            let who = try await mfad.validate(login.sessionToken)
            #expect(who.accountID == accepted.accountID)
            #expect(who.workspace == "acme")
            #expect(who.plan == "pro")
            await expectError(.codeExpired) {
                try await mfad.client.acceptInvite(AcceptInviteRequest(token: email.linkToken, password: "guest password"))
            }
        }
    }

    @Test func invitationsExpireAndStayInTheInvitersWorkspace() async throws {
        try await withMfad { mfad in
            let inviter = try await mfad.createAccount("boss@example.com")
            let session = try await mfad.login(inviter).sessionToken
            await expectError(.failedPrecondition) {
                try await mfad.client.inviteUser(InviteUserRequest(workspace: "other", email: "x@example.com", inviterSessionToken: session))
            }
            await expectError(.alreadyExists) {
                try await mfad.client.inviteUser(InviteUserRequest(workspace: "acme", email: "boss@example.com", inviterSessionToken: session))
            }
            _ = try await mfad.client.inviteUser(InviteUserRequest(workspace: "acme", email: "late@example.com", inviterSessionToken: session))
            let token = try #require(try await mfad.outbox().last { $0.to == "late@example.com" }).linkToken
            try await mfad.advanceClock(7 * 86_400)
            await expectError(.codeExpired) {
                try await mfad.client.acceptInvite(AcceptInviteRequest(token: token, password: "guest password"))
            }
            await expectError(.notFound) {
                try await mfad.client.acceptInvite(AcceptInviteRequest(token: String(repeating: "A", count: 43), password: "guest password"))
            }
        }
    }

    @Test func securityNoticesAreEmailedWithoutSecrets() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            await mfad.lock(challenge)
            var notices = try await mfad.outbox().filter { $0.to == account.email && $0.code.isEmpty && $0.linkToken.isEmpty }
            #expect(notices.last?.subject.contains("locked") == true)
            try await mfad.advanceClock(300)
            let next = try await mfad.loginForCode(account)
            let session = try await mfad.client.verifyMfa(VerifyMfaRequest(challengeID: next.id, code: next.code,
                                                                            trustDevice: true, deviceLabel: "laptop")).sessionToken
            _ = try await mfad.client.changePassword(ChangePasswordRequest(sessionToken: session, oldPassword: defaultPassword,
                                                                           newPassword: "another good password"))
            notices = try await mfad.outbox().filter { $0.to == account.email && $0.code.isEmpty && $0.linkToken.isEmpty }
            let subjects = notices.map(\.subject)
            #expect(subjects.contains { $0.contains("trusted device") })
            #expect(subjects.contains { $0.contains("password was changed") })
            for notice in notices {
                #expect(!notice.body.contains(next.code))
                #expect(!notice.body.contains("another good password"))
            }
        }
    }
}
