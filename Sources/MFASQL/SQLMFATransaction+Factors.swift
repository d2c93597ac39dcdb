import MFACore

// TOTP, recovery codes, trusted devices, sealed secrets, sign-up codes, invitations, API keys.
extension SQLMFATransaction {
    // MARK: TOTP

    public func totpAuthenticator(accountID: String) async throws -> TOTPAuthenticatorRecord? {
        try await session.queryOne(FactorRows.authenticator, [.text(accountID)]) { row in
            try FactorRows.authenticator(row, accountID: accountID)
        }
    }

    public func setTOTPAuthenticator(_ authenticator: TOTPAuthenticatorRecord) async throws {
        try await session.execute(FactorRows.upsertAuthenticator, FactorRows.authenticatorValues(authenticator))
    }

    public func updateTOTPLastUsedStep(accountID: String, step: Int64) async throws {
        try await session.execute(FactorRows.updateLastUsedStep, [.integer(step), .text(accountID)])
    }

    public func deleteTOTPAuthenticator(accountID: String) async throws {
        try await session.execute(FactorRows.deleteAuthenticator, [.text(accountID)])
    }

    public func insertTOTPEnrollment(_ enrollment: TOTPEnrollmentRecord) async throws {
        try await session.execute(FactorRows.insertEnrollment, FactorRows.enrollmentValues(enrollment))
    }

    public func totpEnrollment(id: String) async throws -> TOTPEnrollmentRecord? {
        try await session.queryOne(FactorRows.enrollment, [.text(id)]) { row in try FactorRows.enrollment(row, id: id) }
    }

    public func markTOTPEnrollmentConfirmed(id: String) async throws {
        try await session.execute(FactorRows.confirmEnrollment, [.text(id)])
    }

    // MARK: Recovery codes

    public func replaceRecoveryCodes(accountID: String, digests: [[UInt8]]) async throws {
        try await deleteRecoveryCodes(accountID: accountID)
        for digest in digests {
            try await session.execute(FactorRows.insertRecoveryCode, [.text(accountID), .blob(digest)])
        }
    }

    public func unusedRecoveryCodes(accountID: String) async throws -> [RecoveryCodeRecord] {
        try await session.query(FactorRows.unusedRecoveryCodes, [.text(accountID)]) { row in
            RecoveryCodeRecord(id: try row.int64(0), accountID: accountID, digest: try row.bytes(1))
        }
    }

    public func markRecoveryCodeUsed(id: Int64, at time: Timestamp) async throws {
        try await session.execute(FactorRows.markRecoveryCodeUsed, [.integer(time.unixSeconds), .integer(id)])
    }

    public func deleteRecoveryCodes(accountID: String) async throws {
        try await session.execute(FactorRows.deleteRecoveryCodes, [.text(accountID)])
    }

    // MARK: Trusted devices

    public func insertTrustedDevice(_ device: TrustedDeviceRecord) async throws {
        try await session.execute(FactorRows.insertDevice, FactorRows.deviceValues(device))
    }

    public func trustedDevice(tokenDigest: [UInt8]) async throws -> TrustedDeviceRecord? {
        try await session.queryOne(FactorRows.deviceByToken, [.blob(tokenDigest)], FactorRows.device)
    }

    public func activeTrustedDevices(accountID: String, now: Timestamp) async throws -> [TrustedDeviceRecord] {
        try await session.query(FactorRows.activeDevices, [.text(accountID), .integer(now.unixSeconds)], FactorRows.device)
    }

    public func touchTrustedDevice(id: String, at time: Timestamp) async throws {
        try await session.execute(FactorRows.touchDevice, [.integer(time.unixSeconds), .text(id)])
    }

    public func revokeTrustedDevice(id: String, at time: Timestamp, reason: TrustedDeviceRecord.Revocation) async throws {
        try await session.execute(FactorRows.revokeDevice, [.integer(time.unixSeconds), .text(reason.rawValue), .text(id)])
    }

    public func revokeTrustedDevices(accountID: String, at time: Timestamp,
                                     reason: TrustedDeviceRecord.Revocation) async throws {
        try await session.execute(FactorRows.revokeDevicesOfAccount,
                                  [.integer(time.unixSeconds), .text(reason.rawValue), .text(accountID)])
    }

    // MARK: Sealed secrets

    public func sealedSecrets() async throws -> [SealedSecretReference] {
        let authenticators = try await session.query(FactorRows.authenticatorSecrets, []) { row in
            let account = try row.string(0)
            return SealedSecretReference(table: "totp_authenticators", key: account,
                                         associatedData: TOTPSecretContext.associatedData(accountID: account),
                                         sealed: try row.bytes(1))
        }
        let enrollments = try await session.query(FactorRows.enrollmentSecrets, []) { row in
            SealedSecretReference(table: "totp_enrollments", key: try row.string(0),
                                  associatedData: TOTPSecretContext.associatedData(accountID: try row.string(1)),
                                  sealed: try row.bytes(2))
        }
        return authenticators + enrollments
    }

    // MARK: Sign-up verification and invitations

    public func insertContactCode(_ code: ContactCodeRecord) async throws {
        try await session.execute(SignupRows.insertContactCode, SignupRows.contactCodeValues(code))
    }

    public func contactCodes(accountID: String, channel: ContactChannel) async throws -> [ContactCodeRecord] {
        try await session.query(SignupRows.contactCodes, [.text(accountID), .text(channel.rawValue)]) { row in
            try SignupRows.contactCode(row, accountID: accountID, channel: channel)
        }
    }

    public func setContactCodeStatus(id: Int64, _ status: EmailCodeRecord.Status) async throws {
        try await session.execute(SignupRows.setContactCodeStatus, [.text(status.rawValue), .integer(id)])
    }

    public func markContactVerified(accountID: String, channel: ContactChannel, at time: Timestamp) async throws {
        let statement = channel == .email ? AccountRows.markEmailVerified : AccountRows.markPhoneVerified
        try await session.execute(statement, [.integer(time.unixSeconds), .text(accountID)])
    }

    public func insertInvitation(_ invitation: InvitationRecord) async throws {
        try await session.execute(SignupRows.insertInvitation, SignupRows.invitationValues(invitation))
    }

    public func invitation(tokenDigest: [UInt8]) async throws -> InvitationRecord? {
        try await session.queryOne(SignupRows.invitationByToken, [.blob(tokenDigest)]) { row in
            try SignupRows.invitation(row, tokenDigest: tokenDigest)
        }
    }

    public func markInvitationAccepted(id: String, at time: Timestamp) async throws {
        try await session.execute(SignupRows.markInvitationAccepted, [.integer(time.unixSeconds), .text(id)])
    }

    // MARK: API keys

    public func insertAPIKey(_ key: APIKeyRecord) async throws {
        try await session.execute(SignupRows.insertAPIKey, SignupRows.apiKeyValues(key))
    }

    public func apiKey(digest: [UInt8]) async throws -> APIKeyRecord? {
        try await session.queryOne(SignupRows.apiKeyByDigest, [.blob(digest)], SignupRows.apiKey)
    }

    public func apiKeys() async throws -> [APIKeyRecord] {
        try await session.query(SignupRows.allAPIKeys, [], SignupRows.apiKey)
    }

    public func revokeAPIKeys(idOrService: String, at time: Timestamp) async throws -> Int {
        try await session.execute(SignupRows.revokeAPIKeys, [.integer(time.unixSeconds), .text(idOrService), .text(idOrService)])
    }
}
