import MFAWire

extension Scenario {
    static let signupScenarios: [Scenario] = [
        Scenario("signup", [
            "CreateAccount sends an email code and an SMS code; login waits for both (FAILED_PRECONDITION).",
            "Bad fields answer INVALID_ARGUMENT naming the field; a taken email ALREADY_EXISTS.",
        ]) { s in
            let id = try s.createAccount("ada@example.com")
            try s.login("ada@example.com")
            try s.call(.resendContactCode(ResendContactCodeRequest(accountID: id, channel: "sms")))
            try s.advance(60)
            try s.call(.resendContactCode(ResendContactCodeRequest(accountID: id, channel: "sms")))
            try s.call(.verifyContact(VerifyContactRequest(accountID: id, channel: "email", code: "AAAAAA")))
            try s.confirmContacts(accountID: id, email: "ada@example.com")
            try s.login("ada@example.com")
            try s.call(.createAccount(CreateAccountRequest(email: "ada@example.com", password: ScenarioSession.password,
                                                           phone: ScenarioSession.phone, plan: "pro", workspace: "acme")))
            try s.call(.createAccount(CreateAccountRequest(email: "not an email", password: ScenarioSession.password,
                                                           phone: ScenarioSession.phone, plan: "pro", workspace: "acme")))
        },
        Scenario("invitations", [
            "InviteUser emails a single-use link into the inviter's workspace; AcceptInvite creates the account once.",
        ]) { s in
            try s.createVerifiedAccount("boss@example.com")
            let session = try s.session("boss@example.com")
            try s.call(.inviteUser(InviteUserRequest(workspace: "other", email: "guest@example.com", inviterSessionToken: session)))
            try s.call(.inviteUser(InviteUserRequest(workspace: "acme", email: "guest@example.com", inviterSessionToken: session)))
            let token = try s.latestMessage(to: "guest@example.com").linkToken
            try s.call(.acceptInvite(AcceptInviteRequest(token: token, password: "guest password 1")))
            try s.call(.acceptInvite(AcceptInviteRequest(token: token, password: "guest password 1")))
            try s.call(.acceptInvite(AcceptInviteRequest(token: String(repeating: "A", count: 43), password: "guest password 1")))
            try s.login("guest@example.com", password: "guest password 1")
        },
    ]
}
