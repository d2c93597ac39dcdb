/// What `Login` needs.
public struct LoginAttempt: Sendable {
    public var email: String
    public var password: String
    /// A trusted-device token; empty for none.
    public var deviceToken: String
    /// Free text for the audit log.
    public var clientInfo: String

    /// - Parameters: the `LoginRequest` fields, unvalidated.
    public init(email: String, password: String, deviceToken: String = "", clientInfo: String = "") {
        self.email = email
        self.password = password
        self.deviceToken = deviceToken
        self.clientInfo = clientInfo
    }
}

extension MFAService {
    /// Longest `client_info` kept, in bytes.
    public static let maximumClientInfoBytes = 512
    /// Longest password looked at; longer ones are wrong without hashing.
    static let maximumPasswordBytes = 1024

    /// `Login`: checks the password, then issues a session or a challenge (SPEC 2).
    /// - Throws: `INVALID_CREDENTIALS` (unknown email and wrong password alike), `RATE_LIMITED`
    ///   while password logins for the email are throttled, `LOCKED` when a code would be needed
    ///   but the account's MFA is locked, `INVALID_ARGUMENT` for malformed fields.
    public func login(_ attempt: LoginAttempt) async throws(MFAError) -> LoginOutcome {
        let email: EmailAddress
        do {
            // The shape only: an account made before the full address rule can still sign in.
            email = try EmailAddress(lookingUp: attempt.email)
        } catch {
            throw MFAError.invalid(error)
        }
        guard attempt.clientInfo.utf8.count <= Self.maximumClientInfoBytes else {
            throw .invalidArgument("client_info: at most \(Self.maximumClientInfoBytes) bytes")
        }
        guard attempt.deviceToken.utf8.count <= 128 else {
            throw .invalidArgument("device_token: at most 128 bytes")
        }
        let throttleKey = digester.digest(.throttle, email.value)
        let throttle = configuration.passwordThrottle
        let before = try await snapshot { tx in
            (try await tx.account(email: email.value), try await tx.passwordThrottle(key: throttleKey))
        }
        if case .locked(let retryAfter) = throttle.evaluate(before.1, now: clock.now()) {
            throw MFAError(.rateLimited, throttle.lockedMessage, retryAfterSeconds: retryAfter)
        }
        // The same work whether or not the account exists.
        let verifiedHash = before.0?.passwordHash ?? dummyPasswordHash
        var passwordMatches = false
        if !attempt.password.isEmpty && attempt.password.utf8.count <= Self.maximumPasswordBytes {
            passwordMatches = await passwords.verify(attempt.password, against: verifiedHash)
        }
        let clientInfo = attempt.clientInfo
        let checkedPassword = passwordMatches

        return try await transact { tx in
            let now = self.clock.now()
            let throttleState = try await tx.passwordThrottle(key: throttleKey)
            if case .locked(let retryAfter) = throttle.evaluate(throttleState, now: now) {
                return .failure(MFAError(.rateLimited, throttle.lockedMessage, retryAfterSeconds: retryAfter))
            }
            let account = try await tx.account(email: email.value)
            guard checkedPassword, let account, account.passwordHash == verifiedHash else {
                let (next, outcome) = throttle.recordFailure(throttleState, now: now)
                try await tx.setPasswordThrottle(key: throttleKey, next)
                if let account {
                    try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .loginFailed, detail: clientInfo))
                    if case .lockedNow = outcome {
                        try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .passwordThrottled,
                                                       detail: "seconds=\(throttle.lockSeconds)"))
                    }
                }
                return .failure(.invalidCredentials)
            }
            if !throttleState.failureTimes.isEmpty || throttleState.lockedUntil != nil {
                try await tx.setPasswordThrottle(key: throttleKey, throttle.recordSuccess(throttleState))
            }
            guard account.isVerified else {
                return .failure(MFAError(.failedPrecondition, "Please confirm your email address and phone number before signing in."))
            }
            return try await self.admit(account, clientInfo: clientInfo, deviceToken: attempt.deviceToken, tx: tx, now: now)
        }
    }

    /// After a correct password: a session, or a challenge when a code is required.
    private func admit(_ account: AccountRecord, clientInfo: String, deviceToken: String,
                       tx: any MFATransaction, now: Timestamp) async throws -> Result<LoginOutcome, MFAError> {
        let policy = try await tx.enforcementPolicy()
        let enforcement = policy.enforcement(forWorkspace: account.workspace, plan: account.plan, now: now,
                                             graceLoginsUsed: account.graceLoginsUsed)
        let (presented, device) = try await classifyDevice(token: deviceToken, account: account, tx: tx, now: now)
        let trustsDevices = !(try await tx.activeTrustedDevices(accountID: account.id, now: now)).isEmpty
        let requirement = MFARequirement.decide(
            totpEnabled: account.totpEnabled, enforcement: enforcement, presentedDevice: presented,
            accountHasTrustedDevices: trustsDevices, emailFallbackAllowed: configuration.emailFallbackAllowed)
        switch requirement {
        case .notRequired(let reminder):
            if let device {
                try await tx.touchTrustedDevice(id: device.id, at: now)
            }
            if reminder {
                try await tx.updateGraceLoginsUsed(accountID: account.id, account.graceLoginsUsed + 1)
            }
            let session = try await issueSession(accountID: account.id, tx: tx, now: now)
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .loginOK, detail: clientInfo))
            return .success(.session(session, reminder: reminder))
        case .required(let reason, let methods):
            if let locked = lockGate(account, now: now) {
                try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .loginFailed, detail: "mfa locked"))
                return .failure(locked)
            }
            let challenge = ChallengeRecord(id: newIdentifier(), accountID: account.id, createdAt: now,
                                            reason: reason, methods: methods, lastSentAt: now)
            try await tx.insertChallenge(challenge)
            if methods.first == .email {
                try await sendEmailCode(for: challenge, to: account, tx: tx, now: now)
            }
            return .success(.challenge(ChallengeGrant(id: challenge.id, methods: methods, reason: reason)))
        }
    }

    /// A new session for `accountID`.
    func issueSession(accountID: String, tx: any MFATransaction, now: Timestamp) async throws -> SessionGrant {
        let token = newToken()
        let expiresAt = now + configuration.sessionLifetimeSeconds
        try await tx.insertSession(SessionRecord(tokenDigest: digester.digest(.session, token), accountID: accountID,
                                           createdAt: now, expiresAt: expiresAt))
        return SessionGrant(token: token, expiresAt: expiresAt)
    }

    /// Issues a new email code and link for `challenge` and queues the email, in `tx`.
    /// - Returns: when the code expires.
    @discardableResult
    func sendEmailCode(for challenge: ChallengeRecord, to account: AccountRecord, tx: any MFATransaction, now: Timestamp) async throws -> Timestamp {
        let code = configuration.emailCode.generate(using: random)
        let link = newToken()
        let expiresAt = now + configuration.emailCodeValiditySeconds
        try await tx.insertEmailCode(EmailCodeRecord(
            challengeID: challenge.id, codeDigest: digester.digest(.emailCode, code, context: challenge.id),
            linkDigest: digester.digest(.link, link), issuedAt: now, expiresAt: expiresAt))
        try await enqueue(channel: .email, to: account.email,
                    composer.loginCodeEmail(code: code, linkToken: link, validitySeconds: configuration.emailCodeValiditySeconds),
                    code: code, linkToken: link, tx: tx, now: now)
        try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .codeSent, detail: "email"))
        return expiresAt
    }

    /// The `LOCKED` answer when the account's MFA is locked at `now`, else nil. Checked before
    /// any code is looked at, so a correct code gets the same answer as a wrong one.
    func lockGate(_ account: AccountRecord, now: Timestamp) -> MFAError? {
        guard case .locked(let retryAfter, let untilSupport) = configuration.lockout.evaluate(account.attempts, now: now) else {
            return nil
        }
        return lockedError(retryAfterSeconds: retryAfter, untilSupport: untilSupport)
    }

    /// The `LOCKED` answer for a lock (SPEC 2.3 wording).
    func lockedError(retryAfterSeconds: Int64, untilSupport: Bool) -> MFAError {
        let message = configuration.lockout.message(for: .locked(retryAfterSeconds: retryAfterSeconds, untilSupport: untilSupport))
            ?? UserMessages.locked(lockSeconds: configuration.lockout.lockSeconds)
        return MFAError(.locked, message, retryAfterSeconds: untilSupport ? 0 : retryAfterSeconds)
    }
}
