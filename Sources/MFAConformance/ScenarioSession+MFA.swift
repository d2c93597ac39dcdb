import MFACore
import MFAWire

/// Steps most scenarios share. Each one is a recorded call like any other.
extension ScenarioSession {
    /// The password of every scenario account.
    public static let password = "correct horse battery"
    /// The phone of every scenario account.
    public static let phone = "+41791234567"

    /// Every queued message (`ReadOutbox`).
    public func outbox() throws -> [OutboxMessage] {
        try expect(call(.readOutbox(ReadOutboxRequest())), "ReadOutbox") {
            if case .readOutbox(let response) = $0 { response.messages } else { nil }
        }
    }

    /// The newest message to `address` that carries a code or link.
    public func latestMessage(to address: String, channel: String = "email") throws -> OutboxMessage {
        guard let message = try outbox().last(where: { $0.to == address && $0.channel == channel && (!$0.code.isEmpty || !$0.linkToken.isEmpty) }) else {
            throw Unexpected(description: "no \(channel) message with a code to \(address)")
        }
        return message
    }

    /// `CreateAccount`; returns the account id.
    public func createAccount(_ email: String, plan: String = "pro", workspace: String = "acme") throws -> String {
        try expect(call(.createAccount(CreateAccountRequest(email: email, password: Self.password, phone: Self.phone,
                                                            plan: plan, workspace: workspace))), "CreateAccount") {
            if case .createAccount(let response) = $0 { response.accountID } else { nil }
        }
    }

    /// Confirms both contacts with the codes sign-up sent.
    public func confirmContacts(accountID: String, email: String) throws {
        let messages = try outbox()
        for (channel, address) in [("email", email), ("sms", Self.phone)] {
            guard let code = messages.last(where: { $0.to == address && $0.channel == channel && !$0.code.isEmpty })?.code else {
                throw Unexpected(description: "no \(channel) confirmation code to \(address)")
            }
            _ = try expect(call(.verifyContact(VerifyContactRequest(accountID: accountID, channel: channel, code: code))), "VerifyContact") {
                if case .verifyContact(let response) = $0 { response } else { nil }
            }
        }
    }

    /// An account with both contacts confirmed; returns its id.
    @discardableResult
    public func createVerifiedAccount(_ email: String, plan: String = "pro", workspace: String = "acme") throws -> String {
        let id = try createAccount(email, plan: plan, workspace: workspace)
        try confirmContacts(accountID: id, email: email)
        return id
    }

    /// Enforces MFA from the start of the test clock (globally, or for one workspace).
    public func enforceFromStart(workspace: String = "") throws {
        _ = try expect(call(.setEnforcementPolicy(SetEnforcementPolicyRequest(
            workspace: workspace, enforceFromUnix: Timestamp.testModeStart.unixSeconds))), "SetEnforcementPolicy") {
            if case .setEnforcementPolicy(let response) = $0 { response } else { nil }
        }
    }

    /// `Login` with the scenario password.
    @discardableResult
    public func login(_ email: String, password: String = ScenarioSession.password, deviceToken: String = "") throws -> Response.Result {
        try call(.login(LoginRequest(email: email, password: password, deviceToken: deviceToken)))
    }

    /// A login that must answer a challenge; returns its id.
    public func challenge(_ email: String, deviceToken: String = "") throws -> String {
        try expect(login(email, deviceToken: deviceToken), "a challenge") {
            if case .login(let response) = $0, !response.challengeID.isEmpty { response.challengeID } else { nil }
        }
    }

    /// A login that must answer a session; returns its token.
    public func session(_ email: String, password: String = ScenarioSession.password, deviceToken: String = "") throws -> String {
        try expect(login(email, password: password, deviceToken: deviceToken), "a session") {
            if case .login(let response) = $0, !response.sessionToken.isEmpty { response.sessionToken } else { nil }
        }
    }

    /// `VerifyMfa`.
    @discardableResult
    public func verify(_ challengeID: String, _ code: String, trustDevice: Bool = false, label: String = "") throws -> Response.Result {
        try call(.verifyMfa(VerifyMfaRequest(challengeID: challengeID, code: code, trustDevice: trustDevice, deviceLabel: label)))
    }

    /// Moves the manual clock; returns the new time.
    @discardableResult
    public func advance(_ seconds: UInt64) throws -> Timestamp {
        try expect(call(.advanceClock(AdvanceClockRequest(seconds: seconds))), "AdvanceClock") {
            if case .advanceClock(let response) = $0 { Timestamp(unixSeconds: response.nowUnix) } else { nil }
        }
    }
}
