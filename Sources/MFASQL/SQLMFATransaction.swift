import MFACore

/// `MFATransaction` written once for both engines: every statement, column list, encoding and
/// record construction lives in the `...Rows` mappings of this module, and an engine supplies only
/// its ``SQLSession`` (its driver calls, inside the transaction it opened). Methods keep the same
/// orderings, conditions and counts on both engines; the storage contract suite checks both.
public struct SQLMFATransaction<Session: SQLSession>: MFATransaction {
    /// The engine's session inside its open transaction.
    public let session: Session
    public let afterCommit: CommitActions

    /// - Parameters:
    ///   - session: The engine's session inside the transaction it opened.
    ///   - afterCommit: Where this run of the body registers its effects (a fresh one per run).
    public init(session: Session, afterCommit: CommitActions = CommitActions()) {
        self.session = session
        self.afterCommit = afterCommit
    }

    // MARK: Accounts

    public func account(id: String) async throws -> AccountRecord? {
        try await session.queryOne(AccountRows.byID, [.text(id)], AccountRows.record)
    }

    public func account(email: String) async throws -> AccountRecord? {
        try await session.queryOne(AccountRows.byEmail, [.text(email)], AccountRows.record)
    }

    public func insertAccount(_ account: AccountRecord) async throws {
        try await session.execute(AccountRows.insert, AccountRows.values(account))
    }

    public func updateAttempts(accountID: String, _ state: AttemptState) async throws {
        try await session.execute(AccountRows.updateAttempts, AccountRows.attemptValues(state) + [.text(accountID)])
    }

    public func updateGraceLoginsUsed(accountID: String, _ count: Int) async throws {
        try await session.execute(AccountRows.updateGraceLogins, [SQLValue(count), .text(accountID)])
    }

    public func updatePassword(accountID: String, hash: String, changedAt: Timestamp) async throws {
        try await session.execute(AccountRows.updatePassword, [.text(hash), .integer(changedAt.unixSeconds), .text(accountID)])
    }

    // MARK: Password throttle

    public func passwordThrottle(key: [UInt8]) async throws -> PasswordThrottleState {
        try await session.queryOne(AccountRows.throttle, [.blob(key)], AccountRows.throttleState) ?? PasswordThrottleState()
    }

    public func setPasswordThrottle(key: [UInt8], _ state: PasswordThrottleState) async throws {
        if state.failureTimes.isEmpty && state.lockedUntil == nil {
            try await session.execute(AccountRows.deleteThrottle, [.blob(key)])
            return
        }
        try await session.execute(AccountRows.upsertThrottle, [
            .blob(key), .text(StoredEncoding.text(of: state.failureTimes)), SQLValue(state.lockedUntil?.unixSeconds),
        ])
    }

    // MARK: Challenges and codes

    public func insertChallenge(_ challenge: ChallengeRecord) async throws {
        try await session.execute(ChallengeRows.insert, ChallengeRows.values(challenge))
    }

    public func challenge(id: String) async throws -> ChallengeRecord? {
        try await session.queryOne(ChallengeRows.byID, [.text(id)], ChallengeRows.record)
    }

    public func updateChallenge(_ challenge: ChallengeRecord) async throws {
        let values = ChallengeRows.values(challenge)
        try await session.execute(ChallengeRows.update, Array(values.dropFirst()) + [values[0]])
    }

    public func insertEmailCode(_ code: EmailCodeRecord) async throws {
        try await session.execute(ChallengeRows.insertCode, ChallengeRows.codeValues(code))
    }

    public func emailCodes(challengeID: String) async throws -> [EmailCodeRecord] {
        try await session.query(ChallengeRows.codesOfChallenge, [.text(challengeID)], ChallengeRows.code)
    }

    public func emailCode(linkDigest: [UInt8]) async throws -> EmailCodeRecord? {
        try await session.queryOne(ChallengeRows.codeByLink, [.blob(linkDigest)], ChallengeRows.code)
    }

    public func setEmailCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) async throws {
        try await session.execute(ChallengeRows.setCodeStatus, [.text(status.rawValue), .integer(id)])
    }

    // MARK: Sessions

    public func insertSession(_ record: SessionRecord) async throws {
        try await session.execute(ChallengeRows.insertSession, ChallengeRows.sessionValues(record))
    }

    public func session(tokenDigest: [UInt8]) async throws -> SessionRecord? {
        try await session.queryOne(ChallengeRows.sessionByToken, [.blob(tokenDigest)]) { row in
            try ChallengeRows.session(row, tokenDigest: tokenDigest)
        }
    }

    public func sessionWithAccount(tokenDigest: [UInt8]) async throws -> (SessionRecord, AccountRecord)? {
        try await session.queryOne(ChallengeRows.sessionWithAccount, [.blob(tokenDigest)]) { row in
            try ChallengeRows.sessionWithAccount(row, tokenDigest: tokenDigest)
        }
    }

    public func revokeSession(tokenDigest: [UInt8], at time: Timestamp) async throws {
        try await session.execute(ChallengeRows.revokeSession, [.integer(time.unixSeconds), .blob(tokenDigest)])
    }

    public func revokeSessions(accountID: String, keeping: [UInt8]?, at time: Timestamp) async throws {
        try await session.execute(ChallengeRows.revokeSessionsOfAccount,
                                  [.integer(time.unixSeconds), .text(accountID), SQLValue(keeping)])
    }

    // MARK: Enforcement policy

    public func enforcementPolicy() async throws -> EnforcementPolicy {
        var policy = EnforcementPolicy()
        policy.workspaceEnforceFrom = [:]
        let dates = try await session.query(OutboxRows.enforcementDates, []) { row in (try row.string(0), try row.timestamp(1)) }
        for (scope, date) in dates {
            policy.readStoredDate(scope: scope, date: date)
        }
        var settings: [String: String] = [:]
        for key in EnforcementPolicy.storedSettingKeys {
            settings[key] = try await setting(key)
        }
        policy.readStoredSettings { settings[$0] }
        return policy
    }

    public func setEnforcementPolicy(_ policy: EnforcementPolicy) async throws {
        try await session.execute(OutboxRows.deleteEnforcementDates, [])
        for (scope, date) in policy.storedDates {
            try await session.execute(OutboxRows.insertEnforcementDate, [.text(scope), .integer(date.unixSeconds)])
        }
        for (key, value) in policy.storedSettings {
            try await setSetting(key, value)
        }
    }

    // MARK: Outbox and audit

    public func newOutboxID() async throws -> Int64 {
        try await session.newOutboxID()
    }

    public func enqueueOutbox(_ message: OutboxRecord) async throws {
        try await session.execute(OutboxRows.insert, OutboxRows.values(message))
    }

    public func unsealedOutboxContents() async throws -> [(id: Int64, content: OutboxContent)] {
        try await session.query(OutboxRows.unsealed, [], OutboxRows.unsealedContent)
    }

    public func sealOutboxContent(id: Int64, sealed: [UInt8]) async throws {
        try await session.execute(OutboxRows.seal, [.blob(sealed), .integer(id)])
    }

    public func outboxMessages() async throws -> [OutboxRecord] {
        try await session.query(OutboxRows.all, [], OutboxRows.record)
    }

    public func appendAudit(_ event: AuditRecord) async throws {
        try await session.execute(OutboxRows.appendAudit, OutboxRows.auditValues(event))
    }

    public func auditEvents(accountID: String?, since: Timestamp, limit: Int) async throws -> [AuditRecord] {
        if let accountID {
            return try await session.query(OutboxRows.auditOfAccount,
                                           [.text(accountID), .integer(since.unixSeconds), SQLValue(limit)], OutboxRows.audit)
        }
        return try await session.query(OutboxRows.auditOfAll, [.integer(since.unixSeconds), SQLValue(limit)], OutboxRows.audit)
    }

    // MARK: Settings

    public func setting(_ key: String) async throws -> String? {
        try await session.queryOne(OutboxRows.setting, [.text(key)]) { row in try row.string(0) }
    }

    public func setSetting(_ key: String, _ value: String) async throws {
        try await session.execute(OutboxRows.upsertSetting, [.text(key), .text(value)])
    }
}
