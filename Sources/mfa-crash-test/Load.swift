import MFAClient
import MFACore
import MFAWire

/// What every worker of a round shares.
struct RoundContext: Sendable {
    /// The manual clock's time; it does not move while the load runs.
    let now: Int64
    let checks: Checks
    let killSwitch: KillSwitch
    /// At most this many calls per worker in a round (the kill usually comes first).
    let callLimit: Int
}

/// Drives one account with one call at a time on its own connection until the connection goes
/// away (the kill) or the call limit is reached, keeping the account's ledger in step with every
/// answer. Every answer is also checked against the ledger's prediction as it arrives.
struct Worker {
    let client: MFAClient
    let context: RoundContext
    var random: SplitMix64
    /// Calls answered in this round.
    private(set) var answered = 0
    /// Whether the last call was lost to the kill.
    private(set) var interrupted = false

    init(client: MFAClient, context: RoundContext, seed: UInt64) {
        self.client = client
        self.context = context
        self.random = SplitMix64(seed: seed)
    }

    private var now: Int64 { context.now }
    private var checks: Checks { context.checks }
    static let totp = TOTP(parameters: .standard)

    mutating func run(_ account: inout AccountLedger) async {
        var calls = 0
        while calls < context.callLimit {
            calls += 1
            let keepGoing = switch account.method {
            case .email: await emailStep(&account)
            case .totp: await totpStep(&account)
            }
            guard keepGoing else { return }
        }
    }

    // MARK: Steps

    private mutating func emailStep(_ account: inout AccountLedger) async -> Bool {
        if account.isLocked(now: now) {
            return await whileLocked(&account)
        }
        guard let challenge = account.openChallenge else { return await emailLogin(&account) }
        let roll = Double.random(in: 0..<1, using: &random)
        if roll < 0.40 { return await verifyEmail(&account, challenge, byLink: false) }
        if roll < 0.55 { return await verifyEmail(&account, challenge, byLink: true) }
        if roll < 0.85 { return await wrongCode(&account, challengeID: challenge.id, code: Self.wrongEmailCode(for: challenge.code)) }
        if roll < 0.93 { return await logout(&account) }
        return await validateSession(&account)
    }

    private mutating func totpStep(_ account: inout AccountLedger) async -> Bool {
        if account.isLocked(now: now) {
            return await whileLocked(&account)
        }
        guard let challenge = account.openChallenge else { return await totpLogin(&account) }
        let current = Self.totp.step(at: Timestamp(unixSeconds: now))
        let next = max(account.lastAttemptedStep + 1, current - 1)
        if next <= current + 1 && random.chance(0.55) {
            return await verifyTOTP(&account, challenge, step: next)
        }
        if !account.unusedRecoveryCodes.isEmpty && random.chance(0.12) {
            return await verifyRecoveryCode(&account, challenge)
        }
        if random.chance(0.85) {
            return await wrongCode(&account, challengeID: challenge.id, code: wrongTOTPCode(account, current: current))
        }
        return random.chance(0.5) ? await logout(&account) : await validateSession(&account)
    }

    /// A locked account: the lock is checked now and then, sessions are used and ended.
    private mutating func whileLocked(_ account: inout AccountLedger) async -> Bool {
        let roll = Double.random(in: 0..<1, using: &random)
        if roll < 0.25 { return await loginWhileLocked(&account) }
        if roll < 0.5 { return await logout(&account) }
        return await validateSession(&account)
    }

    // MARK: Calls

    /// A call that changes state, counted in flight for the kills aimed at such a moment.
    private func write<T>(_ body: () async throws(MFAClientError) -> T) async -> CallResult<T> {
        context.killSwitch.beginWrite()
        defer { context.killSwitch.endWrite() }
        return await perform(body)
    }

    /// A lost call: expected only once the driver killed mfad.
    private mutating func lost(_ error: MFAClientError, _ account: AccountLedger, _ what: String) -> Bool {
        interrupted = true
        checks.check(context.killSwitch.isKilled, "\(account.email): \(what) lost before mfad was killed: \(error)")
        return false
    }

    private mutating func unexpected(_ error: MFAClientError, _ account: inout AccountLedger, _ what: String, expected: String) -> Bool {
        account.pending = nil
        answered += 1
        checks.fail("\(account.email): \(what) answered \(error), expected \(expected)")
        return false
    }

    private mutating func emailLogin(_ account: inout AccountLedger) async -> Bool {
        account.pending = .other
        let request = LoginRequest(email: account.email, password: account.password, clientInfo: "crash-test")
        switch await perform({ () async throws(MFAClientError) in try await client.login(request) }) {
        case .lost(let error): return lost(error, account, "Login")
        case .serverError(let error): return unexpected(error, &account, "Login", expected: "an email challenge")
        case .success(let response):
            account.pending = nil
            answered += 1
            account.codeEmailsAcknowledged += 1
            guard checks.check(!response.challengeID.isEmpty && response.sessionToken.isEmpty && response.methods == ["email"],
                               "\(account.email): Login answered \(response), expected an email challenge") else { return false }
            guard let email = await latestCodeEmail(&account) else { return false }
            account.openChallenge = OpenChallenge(id: response.challengeID, code: email.code, linkToken: email.linkToken, issuedAt: now)
            return true
        }
    }

    private mutating func totpLogin(_ account: inout AccountLedger) async -> Bool {
        account.pending = .other
        let request = LoginRequest(email: account.email, password: account.password, clientInfo: "crash-test")
        switch await perform({ () async throws(MFAClientError) in try await client.login(request) }) {
        case .lost(let error): return lost(error, account, "Login")
        case .serverError(let error): return unexpected(error, &account, "Login", expected: "a TOTP challenge")
        case .success(let response):
            account.pending = nil
            answered += 1
            guard checks.check(!response.challengeID.isEmpty && response.methods == ["totp", "recovery_code"],
                               "\(account.email): Login answered \(response), expected a TOTP challenge") else { return false }
            account.openChallenge = OpenChallenge(id: response.challengeID, code: "", linkToken: "", issuedAt: now)
            return true
        }
    }

    /// The email the last acknowledged login of this account queued (calls on an account are
    /// sequential, and only login emails carry a code after sign-up, so it is the newest one).
    private mutating func latestCodeEmail(_ account: inout AccountLedger) async -> OutboxMessage? {
        account.pending = .other
        switch await perform({ () async throws(MFAClientError) in try await client.readOutbox() }) {
        case .lost(let error):
            _ = lost(error, account, "ReadOutbox")
            return nil
        case .serverError(let error):
            _ = unexpected(error, &account, "ReadOutbox", expected: "the outbox")
            return nil
        case .success(let response):
            account.pending = nil
            answered += 1
            account.recordOutbox(response.messages)
            let email = response.messages.last { $0.to == account.email && $0.channel == "email" && !$0.code.isEmpty }
            checks.check(email != nil, "\(account.email): no login email in the outbox after an acknowledged Login")
            return email
        }
    }

    private mutating func verifyEmail(_ account: inout AccountLedger, _ challenge: OpenChallenge, byLink: Bool) async -> Bool {
        account.pending = .correctCode
        let client = client
        let result: CallResult<String> = byLink
            ? await write({ () async throws(MFAClientError) in
                try await client.verifyLink(VerifyLinkRequest(linkToken: challenge.linkToken)).sessionToken })
            : await write({ () async throws(MFAClientError) in
                try await client.verifyMfa(VerifyMfaRequest(challengeID: challenge.id, code: challenge.code)).sessionToken })
        let what = byLink ? "VerifyLink" : "VerifyMfa (email code)"
        switch result {
        case .lost(let error): return lost(error, account, what)
        case .serverError(let error): return unexpected(error, &account, what, expected: "a session")
        case .success(let session):
            account.pending = nil
            answered += 1
            account.recordSuccess()
            account.openChallenge = nil
            account.usedEmailCodes.append(UsedEmailCode(challengeID: challenge.id, code: challenge.code,
                                                        linkToken: challenge.linkToken, usedAt: now))
            guard checks.check(!session.isEmpty, "\(account.email): \(what) succeeded without a session") else { return false }
            account.sessions.append(session)
            return true
        }
    }

    private mutating func verifyTOTP(_ account: inout AccountLedger, _ challenge: OpenChallenge, step: Int64) async -> Bool {
        let code = Self.totp.code(secret: account.totpSecret, step: step)
        account.lastAttemptedStep = step  // never sent again, whatever happens to this call
        account.pending = .correctCode
        let request = VerifyMfaRequest(challengeID: challenge.id, code: code)
        switch await write({ () async throws(MFAClientError) in try await client.verifyMfa(request) }) {
        case .lost(let error): return lost(error, account, "VerifyMfa (TOTP)")
        case .serverError(let error): return unexpected(error, &account, "VerifyMfa (TOTP step \(step))", expected: "a session")
        case .success(let response):
            account.pending = nil
            answered += 1
            account.recordSuccess()
            account.openChallenge = nil
            account.usedTOTPCodes.append(UsedTOTPCode(step: step, code: code, usedAt: now))
            guard checks.check(!response.sessionToken.isEmpty, "\(account.email): TOTP login without a session") else { return false }
            account.sessions.append(response.sessionToken)
            return true
        }
    }

    private mutating func verifyRecoveryCode(_ account: inout AccountLedger, _ challenge: OpenChallenge) async -> Bool {
        let code = account.unusedRecoveryCodes.removeFirst()
        account.pending = .recoveryCode(code)
        let request = VerifyMfaRequest(challengeID: challenge.id, code: code)
        switch await write({ () async throws(MFAClientError) in try await client.verifyMfa(request) }) {
        case .lost(let error): return lost(error, account, "VerifyMfa (recovery code)")
        case .serverError(let error): return unexpected(error, &account, "VerifyMfa (recovery code)", expected: "a session")
        case .success(let response):
            account.pending = nil
            answered += 1
            account.recordSuccess()
            account.auditCounts[.recoveryCodeUsed, default: 0] += 1
            account.openChallenge = nil
            account.usedRecoveryCodes.append(UsedRecoveryCode(code: code, usedAt: now))
            guard checks.check(!response.sessionToken.isEmpty, "\(account.email): recovery login without a session") else { return false }
            account.sessions.append(response.sessionToken)
            return true
        }
    }

    private mutating func wrongCode(_ account: inout AccountLedger, challengeID: String, code: String) async -> Bool {
        account.pending = .wrongCode
        var after = account
        after.pending = nil
        let expected = after.recordWrongCode(now: now)
        let request = VerifyMfaRequest(challengeID: challengeID, code: code)
        switch await write({ () async throws(MFAClientError) in try await client.verifyMfa(request) }) {
        case .lost(let error): return lost(error, account, "VerifyMfa (wrong code)")
        case .success:
            answered += 1
            account.pending = nil
            checks.fail("\(account.email): a wrong code \(code) was accepted")
            return false
        case .serverError(let error):
            answered += 1
            account = after
            return checks.check(expected.matches(error.fields), "\(account.email): wrong code answered \(error), expected \(expected)")
        }
    }

    private mutating func loginWhileLocked(_ account: inout AccountLedger) async -> Bool {
        guard let expected = account.lockAnswer(now: now) else { return true }
        account.pending = .other
        let request = LoginRequest(email: account.email, password: account.password, clientInfo: "crash-test")
        switch await perform({ () async throws(MFAClientError) in try await client.login(request) }) {
        case .lost(let error): return lost(error, account, "Login (locked)")
        case .success(let response):
            account.pending = nil
            answered += 1
            checks.fail("\(account.email): Login while locked answered \(response), expected \(expected)")
            return false
        case .serverError(let error):
            account.pending = nil
            answered += 1
            return checks.check(expected.matches(error.fields), "\(account.email): Login while locked answered \(error), expected \(expected)")
        }
    }

    private mutating func validateSession(_ account: inout AccountLedger) async -> Bool {
        guard let session = account.sessions.randomElement(using: &random) else { return true }
        account.pending = .other
        let request = ValidateSessionRequest(sessionToken: session)
        switch await perform({ () async throws(MFAClientError) in try await client.validateSession(request) }) {
        case .lost(let error): return lost(error, account, "ValidateSession")
        case .serverError(let error): return unexpected(error, &account, "ValidateSession", expected: "the account")
        case .success(let response):
            account.pending = nil
            answered += 1
            return checks.check(response.accountID == account.id,
                                "\(account.email): ValidateSession named \(response.accountID), expected \(account.id)")
        }
    }

    private mutating func logout(_ account: inout AccountLedger) async -> Bool {
        guard !account.sessions.isEmpty else { return true }
        let session = account.sessions.remove(at: Int.random(in: 0..<account.sessions.count, using: &random))
        account.pending = .logout(session)
        let request = LogoutRequest(sessionToken: session)
        switch await write({ () async throws(MFAClientError) in try await client.logout(request) }) {
        case .lost(let error): return lost(error, account, "Logout")
        case .serverError(let error): return unexpected(error, &account, "Logout", expected: "success")
        case .success:
            account.pending = nil
            answered += 1
            account.loggedOutSessions.append(session)
            return true
        }
    }

    // MARK: Codes

    static let emailAlphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// `code` with its first character replaced by the next one of the alphabet: well formed, wrong.
    static func wrongEmailCode(for code: String) -> String {
        var characters = Array(code)
        guard let first = characters.first, let index = emailAlphabet.firstIndex(of: first) else { return "AAAAAA" }
        characters[0] = emailAlphabet[(index + 1) % emailAlphabet.count]
        return String(characters)
    }

    /// Six digits that are the code of no step near `current` (so never accepted, used or not).
    private mutating func wrongTOTPCode(_ account: AccountLedger, current: Int64) -> String {
        let near = Set((current - 2...current + 2).map { Self.totp.code(secret: account.totpSecret, step: $0) })
        while true {
            let candidate = String(Int.random(in: 0...999_999, using: &random)).leftPadded(to: 6)
            if !near.contains(candidate) { return candidate }
        }
    }
}

extension String {
    func leftPadded(to length: Int, with pad: Character = "0") -> String {
        count >= length ? self : String(repeating: pad, count: length - count) + self
    }
}
