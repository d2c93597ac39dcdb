import MFAClient
import MFAWire
import Testing

/// The manual clock's start in test mode: 2026-01-01T00:00:00Z.
let testClockStart: Int64 = 1_767_225_600

/// The password every test account gets unless a test says otherwise.
let defaultPassword = "correct horse battery staple"

/// An account created by a test.
struct Account: Sendable {
    let id: String
    /// As the server stores it (tests use lower-case addresses, so no normalisation applies).
    let email: String
    let password: String
}

/// An open email challenge and the email that was sent for it.
struct Challenge: Sendable {
    let id: String
    let code: String
    let linkToken: String
    /// Why the login asked for a code (`MFA_ENFORCED`, ...).
    let reason: String

    /// A well-formed code (same alphabet and length) that is not this challenge's code.
    var wrongCode: String { Self.wrongCode(for: code) }

    /// The email-code alphabet (docs/behaviour.md).
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// `code` with its first character replaced by the next character of the alphabet.
    static func wrongCode(for code: String) -> String {
        var characters = Array(code)
        guard let first = characters.first else { return "AAAAAA" }
        let index = alphabet.firstIndex(of: first) ?? 0
        characters[0] = alphabet[(index + 1) % alphabet.count]
        return String(characters)
    }
}

extension TestMfad {
    /// Creates an account (phone `+41791234567`, plan `pro`, workspace `acme` unless given).
    @discardableResult
    func createAccount(
        _ email: String,
        password: String = defaultPassword,
        plan: String = "pro",
        workspace: String = "acme",
        phone: String = "+41791234567"
    ) async throws -> Account {
        let created = try await client.createAccount(
            CreateAccountRequest(email: email, password: password, phone: phone, plan: plan, workspace: workspace))
        #expect(!created.accountID.isEmpty)
        try await verifyContacts(accountID: created.accountID, email: email, phone: phone)
        return Account(id: created.accountID, email: email, password: password)
    }

    /// Confirms a new account's email address and phone with the codes sign-up sent them
    /// (login is refused until both are confirmed).
    func verifyContacts(accountID: String, email: String, phone: String) async throws {
        let messages = try await outbox()
        let normalizedEmail = email.trimmingCharacters(in: .whitespaces).lowercased()
        let normalizedPhone = phone.filter { $0 == "+" || $0.isNumber }
        for (channel, address) in [("email", normalizedEmail), ("sms", normalizedPhone)] {
            let message = try #require(messages.last { $0.channel == channel && $0.to == address && !$0.code.isEmpty },
                                       "no \(channel) confirmation code for \(address)")
            _ = try await client.verifyContact(VerifyContactRequest(accountID: accountID, channel: channel, code: message.code))
        }
    }

    /// Sets an enforcement date: global when `workspace` is empty.
    @discardableResult
    func enforce(from date: Int64, workspace: String = "") async throws -> EnforcementPolicy? {
        try await client.setEnforcementPolicy(SetEnforcementPolicyRequest(workspace: workspace, enforceFromUnix: date)).policy
    }

    /// Enforces MFA globally from the start of the test clock, so every login needs a code.
    func enforceMfaFromStart() async throws {
        try await enforce(from: testClockStart)
    }

    /// MFA enforced globally from the start, and one `pro` account in workspace `acme`.
    func enforcedAccount(_ email: String = "alice@example.com") async throws -> Account {
        try await enforceMfaFromStart()
        return try await createAccount(email)
    }

    /// `Login` with the account's password (or `password`).
    func login(_ account: Account, password: String? = nil) async throws -> LoginResponse {
        try await client.login(LoginRequest(email: account.email, password: password ?? account.password, clientInfo: "e2e-tests"))
    }

    /// Logs in, requires that a code is asked by email, and reads that email from the outbox.
    func loginForCode(_ account: Account, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Challenge {
        let before = try await emails(to: account.email).count
        let response = try await login(account)
        try #require(!response.challengeID.isEmpty, "Login asked no code", sourceLocation: sourceLocation)
        #expect(response.sessionToken.isEmpty, sourceLocation: sourceLocation)
        #expect(response.methods == ["email"], sourceLocation: sourceLocation)
        let email = try await newEmail(to: account.email, after: before, sourceLocation: sourceLocation)
        return Challenge(id: response.challengeID, code: email.code, linkToken: email.linkToken, reason: response.reason)
    }

    /// `ResendCode`, then the new email from the outbox.
    func resend(_ challenge: Challenge, to account: Account, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> (response: ResendCodeResponse, challenge: Challenge)
    {
        let before = try await emails(to: account.email).count
        let response = try await client.resendCode(ResendCodeRequest(challengeID: challenge.id))
        let email = try await newEmail(to: account.email, after: before, sourceLocation: sourceLocation)
        return (response, Challenge(id: challenge.id, code: email.code, linkToken: email.linkToken, reason: challenge.reason))
    }

    /// `VerifyMfa` with `code` (no device trust).
    func verify(_ challenge: Challenge, code: String) async throws -> VerifyMfaResponse {
        try await client.verifyMfa(VerifyMfaRequest(challengeID: challenge.id, code: code))
    }

    /// `VerifyMfa` with the challenge's own code.
    func verifyCorrect(_ challenge: Challenge) async throws -> VerifyMfaResponse {
        try await verify(challenge, code: challenge.code)
    }

    /// `VerifyMfa` with a wrong code.
    func verifyWrong(_ challenge: Challenge) async throws -> VerifyMfaResponse {
        try await verify(challenge, code: challenge.wrongCode)
    }

    /// `VerifyLink` with `linkToken`.
    func verifyLink(_ linkToken: String) async throws -> VerifyLinkResponse {
        try await client.verifyLink(VerifyLinkRequest(linkToken: linkToken))
    }

    /// `ValidateSession`.
    func validate(_ sessionToken: String) async throws -> ValidateSessionResponse {
        try await client.validateSession(ValidateSessionRequest(sessionToken: sessionToken))
    }

    /// Moves the manual clock; returns the new time.
    @discardableResult
    func advanceClock(_ seconds: UInt64) async throws -> Int64 {
        try await client.advanceClock(AdvanceClockRequest(seconds: seconds)).nowUnix
    }

    /// Every email queued for `address`, oldest first.
    func emails(to address: String) async throws -> [OutboxMessage] {
        try await client.readOutbox().messages.filter { $0.channel == "email" && $0.to == address }
    }

    /// The latest email for `address`, requiring that exactly one was queued since there were `count`.
    private func newEmail(to address: String, after count: Int, sourceLocation: SourceLocation) async throws -> OutboxMessage {
        let emails = try await emails(to: address)
        #expect(emails.count == count + 1, "expected exactly one new email to \(address)", sourceLocation: sourceLocation)
        let email = try #require(emails.last, "no email to \(address)", sourceLocation: sourceLocation)
        #expect(email.code.count == 6, "email code \(email.code)", sourceLocation: sourceLocation)
        #expect(!email.linkToken.isEmpty, "email without a link", sourceLocation: sourceLocation)
        return email
    }

    /// The account's audit events, oldest first.
    func auditEvents(_ account: Account, since: Int64 = 0, limit: UInt32 = 1000) async throws -> [AuditEvent] {
        try await client.listAuditEvents(ListAuditEventsRequest(accountID: account.id, sinceUnix: since, limit: limit)).events
    }

    /// The kinds of the account's audit events, oldest first.
    func auditKinds(_ account: Account, since: Int64 = 0) async throws -> [String] {
        try await auditEvents(account, since: since).map(\.kind)
    }

    /// Two wrong codes: `INVALID_CODE` with 2, then 1 attempts remaining.
    func twoWrongCodes(_ challenge: Challenge, sourceLocation: SourceLocation = #_sourceLocation) async {
        await expectInvalidCode(attemptsRemaining: 2, sourceLocation: sourceLocation) { try await verifyWrong(challenge) }
        await expectInvalidCode(attemptsRemaining: 1, sourceLocation: sourceLocation) { try await verifyWrong(challenge) }
    }

    /// Three wrong codes: 2, 1 attempts remaining, then the 5-minute lock.
    func lock(_ challenge: Challenge, sourceLocation: SourceLocation = #_sourceLocation) async {
        await twoWrongCodes(challenge, sourceLocation: sourceLocation)
        await expectLocked(retryAfter: 300, sourceLocation: sourceLocation) { try await verifyWrong(challenge) }
    }
}
