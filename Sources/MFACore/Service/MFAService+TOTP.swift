/// What `BeginTotpEnrollment` hands out (the QR code is drawn by the caller from `uri`).
public struct TOTPEnrollmentGrant: Sendable, Hashable {
    public var id: String
    /// The secret in base32, for typing into an app.
    public var secret: String
    /// The otpauth URI.
    public var uri: String
    public var expiresAt: Timestamp
}

extension MFAService {
    /// `BeginTotpEnrollment` (SPEC 2.2): needs a valid session and the password.
    /// - Throws: `INVALID_SESSION`, `INVALID_CREDENTIALS`, `FAILED_PRECONDITION` when TOTP is already on.
    public func beginTOTPEnrollment(sessionToken: String, password: String) async throws(MFAError) -> TOTPEnrollmentGrant {
        let (_, account) = try await sessionAccount(token: sessionToken)
        try await checkPassword(password, of: account)
        guard !account.totpEnabled else {
            throw MFAError(.failedPrecondition, "TOTP is already enabled for this account. Disable it before enrolling a new authenticator.")
        }
        let secret = TOTP.generateSecret(using: random)
        let sealed: [UInt8]
        do {
            sealed = try vault.seal(secret, context: TOTPSecretContext.associatedData(accountID: account.id))
        } catch {
            throw MFAError.unavailable(error)
        }
        let id = newIdentifier()
        let now = clock.now()
        let expiresAt = now + configuration.totpEnrollmentLifetimeSeconds
        try await transact { tx -> Result<Void, MFAError> in
            let parameters = self.configuration.totp
            try await tx.insertTOTPEnrollment(TOTPEnrollmentRecord(
                id: id, accountID: account.id, sealedSecret: sealed, createdAt: now, expiresAt: expiresAt,
                algorithm: parameters.algorithm.rawValue, digits: parameters.digits, period: Int(parameters.period)))
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .totpEnrollmentStarted))
            return .success(())
        }
        let uri = OTPAuthURI.make(issuer: configuration.issuer, accountName: account.email, secret: secret,
                                  parameters: configuration.totp)
        return TOTPEnrollmentGrant(id: id, secret: Base32.encode(secret), uri: uri, expiresAt: expiresAt)
    }

    /// `ConfirmTotpEnrollment`: enables TOTP once the user types a current code.
    /// The confirming code's time step becomes the last used one, so it cannot log in again.
    /// - Returns: the recovery codes, shown this once.
    /// - Throws: `NOT_FOUND` (no such enrolment for this account), `CODE_EXPIRED` (the enrolment
    ///   expired or was confirmed), `INVALID_CODE` (not counted toward the lock: the caller holds
    ///   the session, the password and the secret).
    public func confirmTOTPEnrollment(sessionToken: String, enrollmentID: String, code: String) async throws(MFAError) -> [String] {
        try Self.requireIdentifier(enrollmentID, field: "enrollment_id")
        let (_, account) = try await sessionAccount(token: sessionToken)
        let recoveryCodes = RecoveryCodes.generate(count: configuration.recoveryCodeCount, using: random)
        let digests = recoveryCodes.map { recoveryDigest($0, accountID: account.id) }
        return try await transact { tx in
            let now = self.clock.now()
            guard let enrollment = try await tx.totpEnrollment(id: enrollmentID), enrollment.accountID == account.id else {
                throw MFAError(.notFound, "No TOTP enrolment with this id. Please start again.")
            }
            guard !enrollment.confirmed, now < enrollment.expiresAt else {
                throw MFAError(.codeExpired, "This enrolment is not valid anymore. Please start again.")
            }
            guard try await tx.totpAuthenticator(accountID: account.id) == nil else {
                throw MFAError(.failedPrecondition, "TOTP is already enabled for this account.")
            }
            // The parameters the enrolment's URI announced, even if the configuration changed since.
            let totp = TOTP(parameters: try self.storedTOTPParameters(algorithm: enrollment.algorithm, digits: enrollment.digits,
                                                                     period: enrollment.period, accountID: account.id))
            let secret = try self.vault.open(enrollment.sealedSecret, context: TOTPSecretContext.associatedData(accountID: account.id))
            guard let step = totp.verify(code: code, secret: secret, now: now, lastUsedStep: nil) else {
                throw MFAError(.invalidCode, UserMessages.invalidCode)
            }
            try await tx.setTOTPAuthenticator(TOTPAuthenticatorRecord(
                accountID: account.id, sealedSecret: enrollment.sealedSecret, algorithm: totp.parameters.algorithm.rawValue,
                digits: totp.parameters.digits, period: Int(totp.parameters.period), lastUsedStep: step, enabledAt: now))
            try await tx.markTOTPEnrollmentConfirmed(id: enrollment.id)
            try await tx.replaceRecoveryCodes(accountID: account.id, digests: digests)
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .totpEnabled))
            try await self.notify(account, .totpEnabled, tx: tx, now: now)
            return .success(recoveryCodes.compactMap(RecoveryCodes.displayForm))
        }
    }

    /// `RegenerateRecoveryCodes`: replaces every recovery code (needs the password).
    public func regenerateRecoveryCodes(sessionToken: String, password: String) async throws(MFAError) -> [String] {
        let (_, account) = try await sessionAccount(token: sessionToken)
        try await checkPassword(password, of: account)
        guard account.totpEnabled else {
            throw MFAError(.failedPrecondition, "Recovery codes exist only while TOTP is enabled.")
        }
        let codes = RecoveryCodes.generate(count: configuration.recoveryCodeCount, using: random)
        let digests = codes.map { recoveryDigest($0, accountID: account.id) }
        try await transact { tx -> Result<Void, MFAError> in
            let now = self.clock.now()
            try await tx.replaceRecoveryCodes(accountID: account.id, digests: digests)
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .recoveryCodesRegenerated))
            return .success(())
        }
        return codes.compactMap(RecoveryCodes.displayForm)
    }

    /// `DisableMfa`: removes TOTP, recovery codes and trusted devices; refused while enforced.
    public func disableMFA(sessionToken: String, password: String) async throws(MFAError) {
        let (_, account) = try await sessionAccount(token: sessionToken)
        try await checkPassword(password, of: account)
        try await transact { tx -> Result<Void, MFAError> in
            let now = self.clock.now()
            let policy = try await tx.enforcementPolicy()
            if policy.enforcement(forWorkspace: account.workspace, plan: account.plan, now: now).isEnforced {
                throw MFAError(.mfaEnforced, "MFA is required for this account and cannot be disabled.")
            }
            guard try await tx.totpAuthenticator(accountID: account.id) != nil else {
                throw MFAError(.failedPrecondition, "MFA is not enabled for this account.")
            }
            try await self.removeFactors(accountID: account.id, reason: .mfaDisabled, tx: tx, now: now)
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .totpDisabled))
            try await self.notify(account, .totpDisabled, tx: tx, now: now)
            return .success(())
        }
    }

    /// `ResetMfa` (support): removes TOTP, recovery codes and trusted devices.
    public func resetMFA(accountID: String) async throws(MFAError) {
        try Self.requireIdentifier(accountID, field: "account_id")
        try await transact { tx -> Result<Void, MFAError> in
            let now = self.clock.now()
            guard let account = try await tx.account(id: accountID) else { throw MFAError(.notFound, "No account has this id.") }
            try await self.removeFactors(accountID: accountID, reason: .mfaReset, tx: tx, now: now)
            try await tx.appendAudit(AuditRecord(at: now, accountID: accountID, kind: .mfaReset))
            if account.totpEnabled { try await self.notify(account, .totpDisabled, tx: tx, now: now) }
            return .success(())
        }
    }

    /// `ChangePassword`: revokes every trusted device and every other session.
    public func changePassword(sessionToken: String, oldPassword: String, newPassword: String) async throws(MFAError) {
        do {
            try configuration.passwordPolicy.validate(newPassword)
        } catch {
            throw MFAError.invalidArgument("new_password: \(error.message)")
        }
        let (session, account) = try await sessionAccount(token: sessionToken)
        try await checkPassword(oldPassword, of: account)
        let hash: String
        do {
            hash = try await passwords.hash(newPassword)
        } catch {
            throw MFAError.unavailable(error)
        }
        try await transact { tx -> Result<Void, MFAError> in
            let now = self.clock.now()
            guard let current = try await tx.account(id: account.id), current.passwordHash == account.passwordHash else {
                throw MFAError(.failedPrecondition, "The password was changed meanwhile. Please try again.")
            }
            try await tx.updatePassword(accountID: account.id, hash: hash, changedAt: now)
            try await tx.revokeTrustedDevices(accountID: account.id, at: now, reason: .passwordChanged)
            try await tx.revokeSessions(accountID: account.id, keeping: session.tokenDigest, at: now)
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .passwordChanged))
            try await self.notify(account, .passwordChanged, tx: tx, now: now)
            return .success(())
        }
    }

    /// Removes the second factors of an account.
    private func removeFactors(accountID: String, reason: TrustedDeviceRecord.Revocation, tx: any MFATransaction, now: Timestamp) async throws {
        try await tx.deleteTOTPAuthenticator(accountID: accountID)
        try await tx.deleteRecoveryCodes(accountID: accountID)
        try await tx.revokeTrustedDevices(accountID: accountID, at: now, reason: reason)
    }

    func recoveryDigest(_ code: String, accountID: String) -> [UInt8] {
        digester.digest(.recoveryCode, RecoveryCodes.normalize(code) ?? code, context: accountID)
    }

    /// Re-checks the password of a signed-in account (throttled like logins, same answer).
    func checkPassword(_ password: String, of account: AccountRecord) async throws(MFAError) {
        let key = digester.digest(.throttle, account.email)
        let throttle = configuration.passwordThrottle
        let state = try await snapshot { tx in try await tx.passwordThrottle(key: key) }
        if case .locked(let retryAfter) = throttle.evaluate(state, now: clock.now()) {
            throw MFAError(.rateLimited, throttle.lockedMessage, retryAfterSeconds: retryAfter)
        }
        var matches = false
        if !password.isEmpty && password.utf8.count <= Self.maximumPasswordBytes {
            matches = await passwords.verify(password, against: account.passwordHash)
        }
        if matches { return }
        try await transact { tx -> Result<Void, MFAError> in
            let now = self.clock.now()
            let (next, _) = throttle.recordFailure(try await tx.passwordThrottle(key: key), now: now)
            try await tx.setPasswordThrottle(key: key, next)
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .loginFailed, detail: "password re-check"))
            return .failure(.invalidCredentials)
        }
    }
}
