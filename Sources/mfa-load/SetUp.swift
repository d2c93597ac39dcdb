import MFAClient
import MFACore
import MFALoad
import MFAWire

/// Why the set-up phase failed.
struct SetUpError: Error, CustomStringConvertible {
    let description: String
}

/// The set-up phase: makes, through the protocol itself, the accounts, sessions and challenges
/// the mix needs. Every account is created with `CreateAccount` and its email and phone are
/// confirmed with the codes read from the outbox (`ReadOutbox`, so a test-mode server), because
/// login is refused until both are. Email MFA is enforced for the workspace `load-mfa` only, so
/// the server's global policy is left as it was.
struct SetUp {
    let clients: [MFAClient]
    /// A connection that accepts large frames: `ReadOutbox` returns every message ever queued.
    let outboxClient: MFAClient
    /// Tells this run's accounts from those of other runs on the same server.
    let tag: String
    let password = "load-test-password"
    /// Set-up calls at once (each account costs the server a password hash or two).
    let concurrency = 8
    let log: @Sendable (String) -> Void

    static let enforcedWorkspace = "load-mfa"
    static let plainWorkspace = "load"

    /// The server clock (unix seconds), read by advancing it by zero.
    func clockNow() async throws -> Int64 {
        try await clients[0].advanceClock(AdvanceClockRequest(seconds: 0)).nowUnix
    }

    /// Makes email MFA compulsory in `load-mfa` from `now` on (trial accounts stay exempt).
    func enforceEmailMFA(now: Int64) async throws {
        _ = try await clients[0].setEnforcementPolicy(SetEnforcementPolicyRequest(
            workspace: Self.enforcedWorkspace, enforceFromUnix: now))
    }

    /// Creates `count` accounts and confirms their email and phone.
    /// - Parameters:
    ///   - kind: part of the address, e.g. `totp`.
    ///   - plan: `trial` (exempt from enforcement) or `pro`.
    ///   - workspace: `load` or `load-mfa`.
    func confirmedAccounts(_ count: Int, kind: String, plan: String, workspace: String) async throws -> [Credentials] {
        guard count > 0 else { return [] }
        let made: [(Credentials, String)] = try await forEach(Array(0..<count)) { index, client in
            let email = "load-\(tag)-\(kind)-\(index)@example.com"
            let phone = "+41" + String(UInt64.random(in: 100_000_000...999_999_999))
            let response = try await client.createAccount(CreateAccountRequest(
                email: email, password: password, phone: phone, plan: plan, workspace: workspace))
            return (Credentials(accountID: response.accountID, email: email, password: password), phone)
        }
        let outbox = try await outboxClient.readOutbox().messages
        var newest: [String: OutboxMessage] = [:]
        for message in outbox where !message.code.isEmpty {
            let key = message.channel + " " + message.to
            if let seen = newest[key], seen.id > message.id { continue }
            newest[key] = message
        }
        let codes = newest
        _ = try await forEach(made) { item, client in
            let (account, phone) = item
            for (channel, to) in [("email", account.email), ("sms", phone)] {
                guard let message = codes[channel + " " + to] else {
                    throw SetUpError(description: "no \(channel) confirmation code for \(account.email) in the outbox")
                }
                _ = try await client.verifyContact(VerifyContactRequest(accountID: account.accountID, channel: channel, code: message.code))
            }
            return ()
        }
        return made.map(\.0)
    }

    /// The newest outbox message id (codes sent after it are new).
    func newestMessageID() async throws -> UInt64 {
        try await outboxClient.readOutbox().messages.map(\.id).max() ?? 0
    }

    /// `ValidateSession` templates for `count` sessions of trial accounts.
    func sessions(_ count: Int) async throws -> [RequestTemplate] {
        let accounts = try await confirmedAccounts(max(1, min(count, 8)), kind: "session", plan: "trial", workspace: Self.plainWorkspace)
        let tokens: [String] = try await forEach(Array(0..<count)) { index, client in
            let account = accounts[index % accounts.count]
            let login = try await client.login(LoginRequest(email: account.email, password: account.password, clientInfo: "mfa-load set-up"))
            guard !login.sessionToken.isEmpty else { throw SetUpError(description: "login of \(account.email) asked for a code") }
            return login.sessionToken
        }
        return try tokens.map { try RequestTemplate(.validateSession(ValidateSessionRequest(sessionToken: $0))) }
    }

    /// Open email challenges with a well-formed code that is not theirs.
    func wrongCodeAttempts(_ count: Int) async throws -> [(challengeID: String, wrongCode: String)] {
        let accounts = try await confirmedAccounts(count, kind: "wrong", plan: "pro", workspace: Self.enforcedWorkspace)
        let challenges: [(String, String)] = try await forEach(accounts) { account, client in
            let login = try await client.login(LoginRequest(email: account.email, password: account.password, clientInfo: "mfa-load set-up"))
            guard !login.challengeID.isEmpty else { throw SetUpError(description: "login of \(account.email) issued no challenge") }
            return (account.email, login.challengeID)
        }
        let outbox = try await outboxClient.readOutbox().messages
        return challenges.map { email, challengeID in
            let code = outbox.last { $0.to == email && $0.channel == "email" && !$0.code.isEmpty }?.code ?? ""
            return (challengeID, Self.wrongCode(notEqualTo: code))
        }
    }

    /// A code of the email-code alphabet that differs from `code` in every character.
    static func wrongCode(notEqualTo code: String) -> String {
        let alphabet = Array(EmailCode.alphabet)
        let chars = Array(code.uppercased())
        return String((0..<EmailCode.defaultLength).map { i in
            guard i < chars.count, let at = alphabet.firstIndex(of: chars[i]) else { return alphabet[i] }
            return alphabet[(at + 1) % alphabet.count]
        })
    }

    /// Accounts under enforced email MFA for `login-email`.
    func emailAccounts(_ count: Int) async throws -> EmailAccountPool {
        let accounts = try await confirmedAccounts(count, kind: "email", plan: "pro", workspace: Self.enforcedWorkspace)
        let floor = try await newestMessageID()
        return EmailAccountPool(accounts.map { .init(email: $0.email, password: $0.password, lastMessageID: floor) })
    }

    /// Trial accounts with TOTP enrolled, and `challenges` open TOTP challenges spread over them.
    func totpPool(accounts count: Int, challenges: Int, now: Int64) async throws -> TOTPPool {
        let accounts = try await confirmedAccounts(count, kind: "totp", plan: "trial", workspace: Self.plainWorkspace)
        let totp = TOTP(parameters: .standard)
        let clock = Timestamp(unixSeconds: now)
        let secrets: [[UInt8]] = try await forEach(accounts) { account, client in
            let login = try await client.login(LoginRequest(email: account.email, password: account.password, clientInfo: "mfa-load set-up"))
            let grant = try await client.beginTotpEnrollment(BeginTotpEnrollmentRequest(sessionToken: login.sessionToken, password: account.password))
            guard let secret = Base32.decode(grant.secret) else { throw SetUpError(description: "enrolment secret is not base32") }
            _ = try await client.confirmTotpEnrollment(ConfirmTotpEnrollmentRequest(
                sessionToken: login.sessionToken, enrollmentID: grant.enrollmentID, code: totp.code(secret: secret, at: clock)))
            return secret
        }
        let perAccount = (challenges + count - 1) / count
        let jobs = (0..<challenges).map { $0 % count }
        log("set-up: \(challenges) TOTP challenges over \(count) accounts (\(perAccount) each, one password hash each)")
        let made: [(Int, String)] = try await forEach(jobs) { index, client in
            let account = accounts[index]
            let login = try await client.login(LoginRequest(email: account.email, password: account.password, clientInfo: "mfa-load set-up"))
            guard !login.challengeID.isEmpty, login.methods.contains("totp") else {
                throw SetUpError(description: "login of \(account.email) issued no TOTP challenge")
            }
            return (index, login.challengeID)
        }
        var pools = secrets.map { TOTPPool.Account(secret: $0, challenges: []) }
        for (index, challenge) in made { pools[index].challenges.append(challenge) }
        return TOTPPool(accounts: pools, clockUnix: now, client: clients[0])
    }

    /// Runs `body` for every item, `concurrency` at a time over the set-up connections; results
    /// in the order of `items`.
    private func forEach<Item: Sendable, Output: Sendable>(
        _ items: [Item], _ body: @escaping @Sendable (Item, MFAClient) async throws -> Output
    ) async throws -> [Output] {
        let clients = self.clients
        var results = [Output?](repeating: nil, count: items.count)
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var next = 0
            func add() {
                let index = next
                let item = items[index]
                let client = clients[index % clients.count]
                group.addTask { (index, try await body(item, client)) }
                next += 1
            }
            while next < min(concurrency, items.count) { add() }
            while let (index, output) = try await group.next() {
                results[index] = output
                if next < items.count { add() }
            }
        }
        return results.map { $0! }
    }
}
