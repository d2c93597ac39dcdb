extension MFAService {
    /// `ValidateSession`: whose session this is, if it is valid.
    /// - Throws: `INVALID_SESSION` for an unknown, expired or revoked token.
    public func validateSession(token: String) async throws(MFAError) -> SessionInfo {
        let (session, account) = try await sessionAccount(token: token)
        return SessionInfo(accountID: account.id, email: account.email, plan: account.plan,
                           workspace: account.workspace, expiresAt: session.expiresAt)
    }

    /// `Logout`: revokes the session.
    /// - Throws: `INVALID_SESSION` when it is not a valid session.
    public func logout(token: String) async throws(MFAError) {
        guard OpaqueToken.isWellFormed(token) else { throw .invalidSession }
        let digest = digester.digest(.session, token)
        try await transact { tx -> Result<Void, MFAError> in
            let now = self.clock.now()
            guard let session = try await tx.session(tokenDigest: digest), session.revokedAt == nil, now < session.expiresAt else {
                return .failure(.invalidSession)
            }
            try await tx.revokeSession(tokenDigest: digest, at: now)
            try await tx.appendAudit(AuditRecord(at: now, accountID: session.accountID, kind: .logout))
            return .success(())
        }
    }

    /// `GetMfaStatus`: the second-factor state of the session's account.
    public func mfaStatus(sessionToken: String) async throws(MFAError) -> MFAStatus {
        let (_, account) = try await sessionAccount(token: sessionToken)
        let now = clock.now()
        let (policy, devices) = try await snapshot { tx in
            (try await tx.enforcementPolicy(), try await tx.activeTrustedDevices(accountID: account.id, now: now).count)
        }
        let enforcement = policy.enforcement(forWorkspace: account.workspace, plan: account.plan, now: now,
                                             graceLoginsUsed: account.graceLoginsUsed)
        let requirement = MFARequirement.decide(totpEnabled: account.totpEnabled, enforcement: enforcement, presentedDevice: .none,
                                                accountHasTrustedDevices: false, emailFallbackAllowed: configuration.emailFallbackAllowed)
        var methods: [MFAMethod] = []
        if case .required(_, let required) = requirement { methods = required }
        var status = MFAStatus(totpEnabled: account.totpEnabled, mfaEnforced: enforcement.isEnforced,
                               enforceFrom: policy.enforceFrom(forWorkspace: account.workspace), methods: methods,
                               locked: false, lockedUntilSupport: false, retryAfterSeconds: 0, attemptsRemaining: 0, trustedDevices: devices)
        switch configuration.lockout.evaluate(account.attempts, now: now) {
        case .open(let remaining):
            status.attemptsRemaining = remaining
        case .locked(let retryAfter, let untilSupport):
            status.locked = true
            status.lockedUntilSupport = untilSupport
            status.retryAfterSeconds = retryAfter
        }
        return status
    }

    /// The valid session behind `token` and its account.
    func sessionAccount(token: String) async throws(MFAError) -> (SessionRecord, AccountRecord) {
        guard OpaqueToken.isWellFormed(token) else { throw .invalidSession }
        let digest = digester.digest(.session, token)
        let found = try await snapshot { tx in try await tx.sessionWithAccount(tokenDigest: digest) }
        guard let (session, account) = found, session.revokedAt == nil, clock.now() < session.expiresAt else {
            throw .invalidSession
        }
        return (session, account)
    }
}
