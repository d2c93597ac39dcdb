import MFACrypto

extension MFAService {
    /// Longest code input looked at, in bytes.
    static let maximumCodeBytes = 256

    /// `VerifyMfa`: completes a challenge with an email code, a TOTP code or a recovery code
    /// (SPEC 2, 2.1-2.4). See docs/behaviour.md for the order of checks. The lock is checked
    /// before the code, so while locked a correct code gets exactly the answer a wrong one gets;
    /// a replayed TOTP code is simply not a match, so it answers and counts like a wrong one.
    /// - Parameters:
    ///   - trustDevice: also trust this device; the grant then carries a device token.
    ///   - deviceLabel: the name shown in `ListTrustedDevices`.
    /// - Returns: the new session.
    /// - Throws: `NOT_FOUND`, `LOCKED`, `CODE_EXPIRED`, `INVALID_CODE`, `INVALID_ARGUMENT`.
    public func verifyMfa(challengeID: String, code: String, trustDevice: Bool = false, deviceLabel: String = "") async throws(MFAError) -> SessionGrant {
        guard OpaqueToken.isWellFormed(challengeID, bytes: OpaqueToken.identifierByteCount) else {
            throw .invalidArgument("challenge_id: not a challenge id")
        }
        guard !code.isEmpty else { throw .invalidArgument("code: empty") }
        guard code.utf8.count <= Self.maximumCodeBytes else {
            throw .invalidArgument("code: at most \(Self.maximumCodeBytes) bytes")
        }
        let trust: String? = trustDevice ? try Self.validatedDeviceLabel(deviceLabel) : nil
        let emailCode = configuration.emailCode.normalize(code)
        return try await transact { tx in
            let now = self.clock.now()
            guard let challenge = try await tx.challenge(id: challengeID), let account = try await tx.account(id: challenge.accountID) else {
                throw MFAError(.notFound, "This login challenge does not exist. Please sign in again.")
            }
            if let locked = self.lockGate(account, now: now) {
                return .failure(locked)
            }
            if challenge.status == .open, challenge.methods.contains(.totp),
               let authenticator = try await tx.totpAuthenticator(accountID: account.id) {
                if let step = try self.matchTOTP(code, authenticator: authenticator, now: now) {
                    try await tx.updateTOTPLastUsedStep(accountID: account.id, step: step)
                    return try await self.complete(challenge, account: account, method: .totp, trust: trust, tx: tx, now: now)
                }
                if let recovery = try await self.matchRecoveryCode(code, accountID: account.id, tx: tx) {
                    try await tx.markRecoveryCodeUsed(id: recovery.id, at: now)
                    try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .recoveryCodeUsed))
                    return try await self.complete(challenge, account: account, method: .recoveryCode, trust: trust, tx: tx, now: now)
                }
            }
            if challenge.methods.contains(.email), let emailCode {
                let digest = self.digester.digest(.emailCode, emailCode, context: challenge.id)
                let codes = try await tx.emailCodes(challengeID: challenge.id)
                if let match = codes.first(where: { SecretDigester.matches($0.codeDigest, digest) }) {
                    return try await self.redeem(match, of: challenge, account: account, trust: trust, tx: tx, now: now)
                }
            }
            guard challenge.status == .open else {
                return .failure(MFAError(.codeExpired, UserMessages.codeExpired))
            }
            return .failure(try await self.recordWrongCode(account: account, tx: tx, now: now))
        }
    }

    /// `VerifyLink`: completes an email challenge from the link in the email.
    /// - Throws: `INVALID_CODE` for an unknown link (nothing counted), `CODE_EXPIRED`, `LOCKED`.
    public func verifyLink(token: String, trustDevice: Bool = false, deviceLabel: String = "") async throws(MFAError) -> SessionGrant {
        let invalidLink = MFAError(.invalidCode, "This link is invalid.")
        guard OpaqueToken.isWellFormed(token) else { throw invalidLink }
        let trust: String? = trustDevice ? try Self.validatedDeviceLabel(deviceLabel) : nil
        let digest = digester.digest(.link, token)
        return try await transact { tx in
            let now = self.clock.now()
            guard let code = try await tx.emailCode(linkDigest: digest),
                  let challenge = try await tx.challenge(id: code.challengeID),
                  let account = try await tx.account(id: challenge.accountID)
            else { return .failure(invalidLink) }
            if let locked = self.lockGate(account, now: now) {
                return .failure(locked)
            }
            return try await self.redeem(code, of: challenge, account: account, trust: trust, tx: tx, now: now)
        }
    }

    /// An email code or link that matched: a session if it is still good, else `CODE_EXPIRED`.
    private func redeem(_ code: EmailCodeRecord, of challenge: ChallengeRecord, account: AccountRecord, trust: String?,
                        tx: any MFATransaction, now: Timestamp) async throws -> Result<SessionGrant, MFAError> {
        guard code.status == .active, challenge.status == .open, now < code.expiresAt else {
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .codeExpired, detail: code.status.rawValue))
            return .failure(MFAError(.codeExpired, UserMessages.codeExpired))
        }
        try await tx.setEmailCodeStatus(id: code.id, .used)
        return try await complete(challenge, account: account, method: .email, trust: trust, tx: tx, now: now)
    }

    /// Completes a challenge: resets the counter, issues the session, trusts the device if asked.
    private func complete(_ challenge: ChallengeRecord, account: AccountRecord, method: MFAMethod, trust: String?,
                          tx: any MFATransaction, now: Timestamp) async throws -> Result<SessionGrant, MFAError> {
        var completed = challenge
        completed.status = .completed
        try await tx.updateChallenge(completed)
        try await tx.updateAttempts(accountID: account.id, configuration.lockout.recordSuccess(account.attempts))
        var session = try await issueSession(accountID: account.id, tx: tx, now: now)
        try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .codeOK, detail: method.rawValue))
        try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .loginOK, detail: "mfa"))
        if let trust {
            session.deviceToken = try await trustDevice(for: account, label: trust, tx: tx, now: now)
        }
        return .success(session)
    }

    /// The time step a TOTP code matches (never one at or before the last used step).
    private func matchTOTP(_ code: String, authenticator: TOTPAuthenticatorRecord, now: Timestamp) throws -> Int64? {
        let totp = TOTP(parameters: try storedTOTPParameters(algorithm: authenticator.algorithm, digits: authenticator.digits,
                                                             period: authenticator.period, accountID: authenticator.accountID))
        guard totp.normalize(code) != nil else { return nil }
        let secret = try vault.open(authenticator.sealedSecret, context: TOTPSecretContext.associatedData(accountID: authenticator.accountID))
        return totp.verify(code: code, secret: secret, now: now, lastUsedStep: authenticator.lastUsedStep)
    }

    /// The stored parameters of an enrolment or authenticator, with the configured skew.
    /// - Throws: ``StoredFactorError`` when the stored values are not valid parameters.
    func storedTOTPParameters(algorithm: String, digits: Int, period: Int, accountID: String) throws -> TOTPParameters {
        guard let algorithm = HashAlgorithm(rawValue: algorithm),
              let parameters = try? TOTPParameters(algorithm: algorithm, digits: digits, period: Int64(period),
                                                   skewSteps: configuration.totp.skewSteps)
        else { throw StoredFactorError(accountID: accountID) }
        return parameters
    }

    /// The unused recovery code `code` matches, compared in constant time against each.
    private func matchRecoveryCode(_ code: String, accountID: String, tx: any MFATransaction) async throws -> RecoveryCodeRecord? {
        guard let normalized = RecoveryCodes.normalize(code) else { return nil }
        let digest = digester.digest(.recoveryCode, normalized, context: accountID)
        var found: RecoveryCodeRecord?
        for candidate in try await tx.unusedRecoveryCodes(accountID: accountID) where SecretDigester.matches(candidate.digest, digest) {
            found = candidate
        }
        return found
    }

    /// Counts a wrong code against the account and says what to answer.
    func recordWrongCode(account: AccountRecord, tx: any MFATransaction, now: Timestamp) async throws -> MFAError {
        let lockout = configuration.lockout
        let (next, outcome) = lockout.recordFailure(account.attempts, now: now)
        try await tx.updateAttempts(accountID: account.id, next)
        try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .codeWrong))
        switch outcome {
        case .invalid(let remaining):
            return MFAError(.invalidCode, lockout.message(for: outcome), attemptsRemaining: remaining)
        case .lockedNow(let retryAfter, let untilSupport):
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .locked,
                                           detail: untilSupport ? "until support" : "seconds=\(retryAfter)"))
            try await notify(account, .accountLocked(untilSupport: untilSupport), tx: tx, now: now)
            return lockedError(retryAfterSeconds: retryAfter, untilSupport: untilSupport)
        case .alreadyLocked(let retryAfter, let untilSupport):
            return lockedError(retryAfterSeconds: retryAfter, untilSupport: untilSupport)
        }
    }

    /// `ResendCode`: replaces the challenge's email code and link (SPEC 2.1).
    /// - Throws: `RATE_LIMITED` (too soon, or all resends used), `NOT_FOUND`,
    ///   `FAILED_PRECONDITION` for a completed challenge, `LOCKED`.
    public func resendCode(challengeID: String) async throws(MFAError) -> ResendOutcome {
        guard OpaqueToken.isWellFormed(challengeID, bytes: OpaqueToken.identifierByteCount) else {
            throw .invalidArgument("challenge_id: not a challenge id")
        }
        return try await transact { tx in
            let now = self.clock.now()
            guard var challenge = try await tx.challenge(id: challengeID), let account = try await tx.account(id: challenge.accountID) else {
                throw MFAError(.notFound, "This login challenge does not exist. Please sign in again.")
            }
            guard challenge.status == .open else {
                throw MFAError(.failedPrecondition, "This login is already complete.")
            }
            guard challenge.methods.contains(.email) else {
                throw MFAError(.failedPrecondition, "This login does not use email codes.")
            }
            if let locked = self.lockGate(account, now: now) {
                return .failure(locked)
            }
            let throttle = self.configuration.resendThrottle
            let decision = throttle.evaluate(lastSentAt: challenge.lastSentAt, resendCount: challenge.resendCount, now: now)
            switch decision {
            case .rateLimited(let retryAfter):
                return .failure(MFAError(.rateLimited, throttle.message(for: decision) ?? "", retryAfterSeconds: retryAfter))
            case .limitReached:
                return .failure(MFAError(.rateLimited, throttle.message(for: decision) ?? ""))
            case .allowed:
                break
            }
            for code in try await tx.emailCodes(challengeID: challenge.id) where code.status == .active {
                try await tx.setEmailCodeStatus(id: code.id, .superseded)
            }
            let expiresAt = try await self.sendEmailCode(for: challenge, to: account, tx: tx, now: now)
            challenge.resendCount += 1
            challenge.lastSentAt = now
            try await tx.updateChallenge(challenge)
            return .success(ResendOutcome(codeExpiresAt: expiresAt,
                                          resendsRemaining: max(0, throttle.maxResendsPerChallenge - challenge.resendCount)))
        }
    }
}

/// A stored authenticator this build cannot use (unknown algorithm): fails the request closed.
struct StoredFactorError: Error, CustomStringConvertible {
    let accountID: String
    var description: String { "unusable TOTP authenticator stored for account \(accountID)" }
}
