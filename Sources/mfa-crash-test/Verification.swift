import MFAClient
import MFACore
import MFAWire

/// After a restart: checks that every change mfad acknowledged before the kill still holds, and
/// settles the calls that were in flight (each either happened entirely or not at all).
struct Verifier {
    let client: MFAClient
    let checks: Checks
    /// The manual clock's time of the round (it must be exactly where it was).
    let now: Int64

    /// Used email codes of earlier rounds replayed per account each round (their challenges are
    /// completed, so the answer is `CODE_EXPIRED` whatever the age).
    static let olderCodesReplayed = 3

    /// How the calls in flight at the kill turned out.
    struct Settlement {
        /// Calls with an effect the ledger counts (codes, logouts) that had taken effect.
        var applied = 0
        /// Such calls that had not.
        var notApplied = 0
        /// Logins and reads: nothing to settle.
        var other = 0

        var description: String { "\(applied) had taken effect, \(notApplied) had not, \(other) logins or reads" }
    }

    /// - Returns: how the calls in flight at the kill turned out.
    func verify(_ accounts: inout [AccountLedger], random: inout SplitMix64) async throws(MFAClientError) -> Settlement {
        let clock = try await client.advanceClock(AdvanceClockRequest(seconds: 0)).nowUnix
        checks.check(clock == now, "the manual clock reads \(clock) after the restart, expected \(now)")

        var settlement = Settlement()
        for index in accounts.indices {
            switch try await settleAndCountAudit(&accounts[index]) {
            case true?: settlement.applied += 1
            case false?: settlement.notApplied += 1
            case nil: if accounts[index].pendingWasSet { settlement.other += 1 }
            }
        }
        for account in accounts {
            await checkSessions(account)
        }
        try await checkOutbox(&accounts)
        for index in accounts.indices {
            try await probe(&accounts[index], random: &random)
        }
        return settlement
    }

    // MARK: Audit and calls in flight

    /// Settles the call in flight at the kill from the audit log (written in the same transaction
    /// as the change), then requires the counted kinds to match the ledger exactly.
    /// - Returns: whether the call in flight had taken effect; nil when there was none to settle.
    private func settleAndCountAudit(_ account: inout AccountLedger) async throws(MFAClientError) -> Bool? {
        let events = try await client.listAuditEvents(ListAuditEventsRequest(accountID: account.id, sinceUnix: now, limit: 1000)).events
        checks.check(events.count < 1000, "\(account.email): 1000 audit events in one round; the count below is incomplete")
        checks.check(events.allSatisfy { $0.timeUnix == now && $0.accountID == account.id },
                     "\(account.email): audit events at another time than the round's \(now) or of another account")
        var observed: [CountedKind: Int] = [:]
        for event in events {
            if let kind = CountedKind(rawValue: event.kind) { observed[kind, default: 0] += 1 }
        }
        func grew(_ kind: CountedKind) -> Bool { observed[kind, default: 0] == account.auditCounts[kind, default: 0] + 1 }

        var applied: Bool?
        account.pendingWasSet = account.pending != nil
        switch account.pending {
        case .correctCode:
            applied = grew(.codeOK)
            if grew(.codeOK) {
                account.recordSuccess()
                account.openChallenge = nil
            }
        case .recoveryCode(let code):
            applied = grew(.codeOK) && grew(.recoveryCodeUsed)
            if grew(.codeOK) && grew(.recoveryCodeUsed) {
                account.recordSuccess()
                account.auditCounts[.recoveryCodeUsed, default: 0] += 1
                account.usedRecoveryCodes.append(UsedRecoveryCode(code: code, usedAt: now))
                account.openChallenge = nil
            } else {
                account.unusedRecoveryCodes.insert(code, at: 0)
            }
        case .wrongCode:
            // Counted only when the account was not locked; while locked nothing changes either way.
            applied = account.isLocked(now: now) ? nil : grew(.codeWrong)
            if grew(.codeWrong) { _ = account.recordWrongCode(now: now) }
        case .logout(let session):
            switch await perform({ () async throws(MFAClientError) in
                try await client.validateSession(ValidateSessionRequest(sessionToken: session)) }) {
            case .success(let response):
                checks.check(response.accountID == account.id, "\(account.email): a session validates as \(response.accountID)")
                account.sessions.append(session)
                applied = false
            case .serverError(let error):
                checks.check(error.code == .invalidSession, "\(account.email): ValidateSession of a session in doubt answered \(error)")
                account.loggedOutSessions.append(session)
                applied = true
            case .lost(let error):
                throw error
            }
        case .other, nil:
            break
        }
        account.pending = nil

        for kind in CountedKind.allCases {
            let expected = account.auditCounts[kind, default: 0]
            let found = observed[kind, default: 0]
            checks.check(found == expected, "\(account.email): \(found) '\(kind.rawValue)' audit events this round, the ledger has \(expected)")
        }
        return applied
    }

    // MARK: Sessions

    /// Every acknowledged session validates as its account; every acknowledged logout holds.
    private func checkSessions(_ account: AccountLedger) async {
        let client = client
        let answers = await withTaskGroup(of: (String, Bool, CallResult<ValidateSessionResponse>).self) { group in
            for (session, valid) in account.sessions.map({ ($0, true) }) + account.loggedOutSessions.map({ ($0, false) }) {
                group.addTask {
                    (session, valid, await perform({ () async throws(MFAClientError) in
                        try await client.validateSession(ValidateSessionRequest(sessionToken: session)) }))
                }
            }
            var all: [(String, Bool, CallResult<ValidateSessionResponse>)] = []
            for await answer in group { all.append(answer) }
            return all
        }
        for (_, valid, answer) in answers {
            switch (valid, answer) {
            case (true, .success(let response)):
                checks.check(response.accountID == account.id,
                             "\(account.email): an issued session validates as account \(response.accountID)")
            case (true, .serverError(let error)), (true, .lost(let error)):
                checks.fail("\(account.email): an issued session no longer validates: \(error)")
            case (false, .serverError(let error)):
                checks.check(error.code == .invalidSession, "\(account.email): a logged-out session answered \(error)")
            case (false, .success):
                checks.fail("\(account.email): a logged-out session validates again")
            case (false, .lost(let error)):
                checks.fail("\(account.email): ValidateSession lost: \(error)")
            }
        }
    }

    // MARK: Outbox

    /// Every message `ReadOutbox` reported is still there, unchanged, and every acknowledged call
    /// that queued a code email has its email.
    private func checkOutbox(_ accounts: inout [AccountLedger]) async throws(MFAClientError) {
        let outbox = try await client.readOutbox().messages
        var byID: [UInt64: OutboxMessage] = [:]
        for message in outbox { byID[message.id] = message }
        for index in accounts.indices {
            let account = accounts[index]
            for (id, known) in account.messages {
                if let now = byID[id] {
                    checks.check(QueuedMessage(now) == known, "outbox message \(id) to \(known.to) changed after the restart")
                } else {
                    checks.fail("outbox message \(id) to \(known.to) (\(known.subject)) is lost after the restart")
                }
            }
            let codeEmails = outbox.filter { $0.to == account.email && $0.channel == "email" && !$0.code.isEmpty }.count
            checks.check(codeEmails >= account.codeEmailsAcknowledged,
                         "\(account.email): \(codeEmails) code emails in the outbox, but \(account.codeEmailsAcknowledged) were acknowledged")
            accounts[index].recordOutbox(outbox)
        }
    }

    // MARK: Probes

    /// Checks the account's lock, its counter and its used codes by trying them (each answer is
    /// predicted by the ledger), and leaves it unlocked with a fresh open challenge.
    private func probe(_ account: inout AccountLedger, random: inout SplitMix64) async throws(MFAClientError) {
        account.openChallenge = nil
        if let lock = account.lockAnswer(now: now) {
            // The lock holds, with its exact remaining time; then support lifts it so that the
            // used codes below can be checked (a locked account answers LOCKED to everything).
            await expectAnswer(lock, "\(account.email): Login while locked") { () async throws(MFAClientError) in
                _ = try await client.login(LoginRequest(email: account.email, password: account.password, clientInfo: "crash-verify"))
            }
            for used in account.usedEmailCodes where used.usedAt == now {
                await expectAnswer(lock, "\(account.email): a used email code while locked") { () async throws(MFAClientError) in
                    _ = try await client.verifyMfa(VerifyMfaRequest(challengeID: used.challengeID, code: used.code))
                }
            }
            _ = try await client.unlockAccount(UnlockAccountRequest(accountID: account.id))
            account.recordUnlock()
        }
        switch account.method {
        case .email: try await probeEmail(&account, random: &random)
        case .totp: try await probeTOTP(&account)
        }
    }

    private func probeEmail(_ account: inout AccountLedger, random: inout SplitMix64) async throws(MFAClientError) {
        // Used codes and links stay used: CODE_EXPIRED (never a session, never a counted wrong code).
        let thisRound = account.usedEmailCodes.filter { $0.usedAt == now }
        let older = account.usedEmailCodes.filter { $0.usedAt != now }.shuffled(using: &random).prefix(Self.olderCodesReplayed)
        for used in thisRound + older {
            await expectCodeExpired("\(account.email): replayed email code of challenge \(used.challengeID)") { () async throws(MFAClientError) in
                _ = try await client.verifyMfa(VerifyMfaRequest(challengeID: used.challengeID, code: used.code))
            }
            await expectCodeExpired("\(account.email): replayed link of challenge \(used.challengeID)") { () async throws(MFAClientError) in
                _ = try await client.verifyLink(VerifyLinkRequest(linkToken: used.linkToken))
            }
        }
        // The counter is where the ledger says: a new challenge, then a wrong code.
        let login = try await client.login(LoginRequest(email: account.email, password: account.password, clientInfo: "crash-verify"))
        account.codeEmailsAcknowledged += 1
        guard checks.check(!login.challengeID.isEmpty && login.methods == ["email"],
                           "\(account.email): Login answered \(login), expected an email challenge") else { return }
        let outbox = try await client.readOutbox().messages
        account.recordOutbox(outbox)
        guard let email = outbox.last(where: { $0.to == account.email && $0.channel == "email" && !$0.code.isEmpty }) else {
            checks.fail("\(account.email): no login email after an acknowledged Login")
            return
        }
        account.openChallenge = OpenChallenge(id: login.challengeID, code: email.code, linkToken: email.linkToken, issuedAt: now)
        let expected = account.recordWrongCode(now: now)
        await expectAnswer(expected, "\(account.email): a wrong code after the restart") { () async throws(MFAClientError) in
            _ = try await client.verifyMfa(VerifyMfaRequest(challengeID: login.challengeID, code: Worker.wrongEmailCode(for: email.code)))
        }
    }

    private func probeTOTP(_ account: inout AccountLedger) async throws(MFAClientError) {
        let login = try await client.login(LoginRequest(email: account.email, password: account.password, clientInfo: "crash-verify"))
        guard checks.check(!login.challengeID.isEmpty && login.methods == ["totp", "recovery_code"],
                           "\(account.email): Login answered \(login), expected a TOTP challenge") else { return }
        account.openChallenge = OpenChallenge(id: login.challengeID, code: "", linkToken: "", issuedAt: now)
        // Codes accepted this round are all inside the ±1 step window of the unchanged clock, so
        // only the remembered last used step can refuse them: replays count like wrong codes.
        let totp = Worker.totp
        let current = totp.step(at: Timestamp(unixSeconds: now))
        let stillUnused = Set((current - 1...current + 1).filter { $0 > account.lastAttemptedStep }
            .map { totp.code(secret: account.totpSecret, step: $0) })
        var replays = account.usedTOTPCodes.filter { $0.usedAt == now && !stillUnused.contains($0.code) }
            .map { ("TOTP code of step \($0.step)", $0.code) }
        replays += account.usedRecoveryCodes.filter { $0.usedAt == now }.map { ("recovery code", $0.code) }
        if replays.isEmpty {
            let wrong = (0...999_999).lazy.map { String($0).leftPadded(to: 6) }
                .first { code in !(current - 2...current + 2).contains { totp.code(secret: account.totpSecret, step: $0) == code } }!
            replays = [("wrong code", wrong)]
        }
        for (what, code) in replays {
            if account.isLocked(now: now) {
                // A code sent while locked is never checked: lift the lock so that this one is.
                _ = try await client.unlockAccount(UnlockAccountRequest(accountID: account.id))
                account.recordUnlock()
            }
            let expected = account.recordWrongCode(now: now)
            await expectAnswer(expected, "\(account.email): replayed \(what) after the restart") { () async throws(MFAClientError) in
                _ = try await client.verifyMfa(VerifyMfaRequest(challengeID: login.challengeID, code: code))
            }
        }
    }

    // MARK: Expectations

    private func expectAnswer(_ expected: ExpectedAnswer, _ what: String, _ call: () async throws(MFAClientError) -> Void) async {
        switch await perform(call) {
        case .success:
            checks.fail("\(what) succeeded, expected \(expected)")
        case .serverError(let error), .lost(let error):
            checks.check(expected.matches(error.fields), "\(what) answered \(error), expected \(expected)")
        }
    }

    private func expectCodeExpired(_ what: String, _ call: () async throws(MFAClientError) -> Void) async {
        switch await perform(call) {
        case .success:
            checks.fail("\(what) succeeded again")
        case .serverError(let error), .lost(let error):
            checks.check(error.code == .codeExpired && error.message == Messages.codeExpired && error.attemptsRemaining == 0,
                         "\(what) answered \(error), expected CODE_EXPIRED")
        }
    }
}
