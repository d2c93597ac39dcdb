extension MFAService {
    /// Issues a new contact code on `channel` for `account` and queues it, in `tx`.
    /// - Returns: when the code expires.
    @discardableResult
    func sendContactCode(_ channel: ContactChannel, to account: AccountRecord, tx: any MFATransaction, now: Timestamp) async throws -> Timestamp {
        let code = configuration.emailCode.generate(using: random)
        let expiresAt = now + configuration.emailCodeValiditySeconds
        try await tx.insertContactCode(ContactCodeRecord(
            accountID: account.id, channel: channel, digest: contactDigest(code, accountID: account.id, channel: channel),
            issuedAt: now, expiresAt: expiresAt))
        try await enqueue(channel: channel, to: channel == .email ? account.email : account.phone,
                    composer.contactCode(code, channel: channel, validitySeconds: configuration.emailCodeValiditySeconds),
                    code: code, tx: tx, now: now)
        try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .codeSent, detail: "contact \(channel.rawValue)"))
        return expiresAt
    }

    private func contactDigest(_ normalizedCode: String, accountID: String, channel: ContactChannel) -> [UInt8] {
        digester.digest(.contactCode, normalizedCode, context: "\(accountID):\(channel.rawValue)")
    }

    private static func channel(_ name: String) throws(MFAError) -> ContactChannel {
        guard let channel = ContactChannel(rawValue: name) else {
            throw .invalidArgument("channel: must be \"email\" or \"sms\"")
        }
        return channel
    }

    /// `VerifyContact`: confirms the email address or phone of a new account. Codes follow the
    /// rules of MFA codes: 20 minutes, single use, and wrong codes count toward the same lock.
    /// - Returns: which contacts are verified now.
    public func verifyContact(accountID: String, channel name: String, code: String) async throws(MFAError) -> (email: Bool, phone: Bool) {
        try Self.requireIdentifier(accountID, field: "account_id")
        let channel = try Self.channel(name)
        guard !code.isEmpty, code.utf8.count <= Self.maximumCodeBytes else {
            throw .invalidArgument("code: 1 to \(Self.maximumCodeBytes) bytes")
        }
        let normalized = configuration.emailCode.normalize(code)
        return try await transact { tx in
            let now = self.clock.now()
            guard let account = try await tx.account(id: accountID) else { throw MFAError(.notFound, "No account has this id.") }
            let verified = channel == .email ? account.emailVerifiedAt != nil : account.phoneVerifiedAt != nil
            if verified {
                return .success((account.emailVerifiedAt != nil, account.phoneVerifiedAt != nil))
            }
            if let locked = self.lockGate(account, now: now) {
                return .failure(locked)
            }
            if let normalized {
                let digest = self.contactDigest(normalized, accountID: account.id, channel: channel)
                let codes = try await tx.contactCodes(accountID: account.id, channel: channel)
                if let match = codes.first(where: { SecretDigester.matches($0.digest, digest) }) {
                    guard match.status == .active, now < match.expiresAt else {
                        return .failure(MFAError(.codeExpired, UserMessages.codeExpired))
                    }
                    try await tx.setContactCodeStatus(id: match.id, .used)
                    try await tx.markContactVerified(accountID: account.id, channel: channel, at: now)
                    try await tx.updateAttempts(accountID: account.id, self.configuration.lockout.recordSuccess(account.attempts))
                    try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .contactVerified, detail: channel.rawValue))
                    return .success((channel == .email || account.emailVerifiedAt != nil,
                                     channel == .sms || account.phoneVerifiedAt != nil))
                }
            }
            return .failure(try await self.recordWrongCode(account: account, tx: tx, now: now))
        }
    }

    /// `ResendContactCode`: a new code on `channel`; the previous one stops working.
    /// Throttled like `ResendCode` (60 s apart, at most 5 resends per channel).
    public func resendContactCode(accountID: String, channel name: String) async throws(MFAError) -> ResendOutcome {
        try Self.requireIdentifier(accountID, field: "account_id")
        let channel = try Self.channel(name)
        return try await transact { tx in
            let now = self.clock.now()
            guard let account = try await tx.account(id: accountID) else { throw MFAError(.notFound, "No account has this id.") }
            let verified = channel == .email ? account.emailVerifiedAt != nil : account.phoneVerifiedAt != nil
            guard !verified else {
                throw MFAError(.failedPrecondition, channel == .email ? "The email address is already confirmed." : "The phone number is already confirmed.")
            }
            let codes = try await tx.contactCodes(accountID: account.id, channel: channel)
            let throttle = self.configuration.resendThrottle
            let resends = max(0, codes.count - 1)
            let decision = throttle.evaluate(lastSentAt: codes.last?.issuedAt ?? account.createdAt, resendCount: resends, now: now)
            switch decision {
            case .rateLimited(let retryAfter):
                return .failure(MFAError(.rateLimited, throttle.message(for: decision) ?? "", retryAfterSeconds: retryAfter))
            case .limitReached:
                return .failure(MFAError(.rateLimited, "You've asked for a new code \(throttle.maxResendsPerChallenge) times. Please contact support."))
            case .allowed:
                break
            }
            for code in codes where code.status == .active {
                try await tx.setContactCodeStatus(id: code.id, .superseded)
            }
            let expiresAt = try await self.sendContactCode(channel, to: account, tx: tx, now: now)
            return .success(ResendOutcome(codeExpiresAt: expiresAt, resendsRemaining: max(0, throttle.maxResendsPerChallenge - resends - 1)))
        }
    }

    /// `InviteUser`: emails a single-use invitation into the inviter's own workspace.
    /// - Returns: the invitation's id and expiry.
    public func inviteUser(workspace: String, email rawEmail: String, inviterSessionToken: String) async throws(MFAError) -> (id: String, expiresAt: Timestamp) {
        let email: EmailAddress
        do {
            email = try EmailAddress(rawEmail)
        } catch {
            throw MFAError.invalid(error)
        }
        let (_, inviter) = try await sessionAccount(token: inviterSessionToken)
        guard workspace == inviter.workspace else {
            throw MFAError(.failedPrecondition, "You can invite people only into your own workspace.")
        }
        let token = newToken()
        let id = newIdentifier()
        return try await transact { tx in
            let now = self.clock.now()
            guard try await tx.account(email: email.value) == nil else {
                throw MFAError(.alreadyExists, "An account with this email already exists.")
            }
            let expiresAt = now + self.configuration.invitationLifetimeSeconds
            try await tx.insertInvitation(InvitationRecord(
                id: id, tokenDigest: self.digester.digest(.invitation, token), workspace: inviter.workspace, plan: inviter.plan,
                email: email.value, inviterAccountID: inviter.id, createdAt: now, expiresAt: expiresAt))
            try await self.enqueue(channel: .email, to: email.value,
                             self.composer.invitationEmail(token: token, workspace: inviter.workspace, inviterEmail: inviter.email,
                                                           validitySeconds: self.configuration.invitationLifetimeSeconds),
                             linkToken: token, tx: tx, now: now)
            try await tx.appendAudit(AuditRecord(at: now, accountID: inviter.id, kind: .invitationSent, detail: email.value))
            return .success((id, expiresAt))
        }
    }

    /// `AcceptInvite`: creates the invited account, its email verified by the invitation, in the
    /// invitation's workspace with the inviter's plan. Invited accounts have no phone number.
    /// - Returns: the new account's id.
    public func acceptInvite(token: String, password: String) async throws(MFAError) -> String {
        let notValid = MFAError(.notFound, "This invitation is not valid.")
        guard OpaqueToken.isWellFormed(token) else { throw notValid }
        do {
            try configuration.passwordPolicy.validate(password)
        } catch {
            throw MFAError.invalid(error)
        }
        let passwordHash: String
        do {
            passwordHash = try await passwords.hash(password)
        } catch {
            throw MFAError.unavailable(error)
        }
        let id = newIdentifier()
        let digest = digester.digest(.invitation, token)
        return try await transact { tx in
            let now = self.clock.now()
            guard let invitation = try await tx.invitation(tokenDigest: digest) else { throw notValid }
            guard invitation.acceptedAt == nil, now < invitation.expiresAt else {
                throw MFAError(.codeExpired, "This invitation is not valid anymore. Ask for a new one.")
            }
            guard try await tx.account(email: invitation.email) == nil else {
                throw MFAError(.alreadyExists, "An account with this email already exists.")
            }
            try await tx.insertAccount(AccountRecord(
                id: id, email: invitation.email, passwordHash: passwordHash, phone: "", plan: invitation.plan,
                workspace: invitation.workspace, createdAt: now, passwordChangedAt: now, emailVerifiedAt: now, phoneVerifiedAt: now))
            try await tx.markInvitationAccepted(id: invitation.id, at: now)
            try await tx.appendAudit(AuditRecord(at: now, accountID: id, kind: .accountCreated, detail: "invited by \(invitation.inviterAccountID)"))
            try await tx.appendAudit(AuditRecord(at: now, accountID: invitation.inviterAccountID, kind: .invitationAccepted, detail: id))
            return .success(id)
        }
    }
}
