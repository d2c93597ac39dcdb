extension MFAService {
    /// Longest device label kept, in bytes.
    public static let maximumDeviceLabelBytes = 128

    /// What a presented device token means for `account` at `now` (SPEC 2.4): valid, expired,
    /// revoked by a password change, or nothing (unknown, another account's, removed).
    func classifyDevice(token: String, account: AccountRecord, tx: any MFATransaction, now: Timestamp) async throws -> (PresentedDevice, TrustedDeviceRecord?) {
        guard !token.isEmpty else { return (.none, nil) }
        guard OpaqueToken.isWellFormed(token),
              let device = try await tx.trustedDevice(tokenDigest: digester.digest(.device, token)),
              device.accountID == account.id
        else { return (.unrecognized, nil) }
        switch device.revocation {
        case .passwordChanged?:
            return (.revokedByPasswordChange, nil)
        case .some:
            return (.unrecognized, nil)
        case nil:
            return now < device.expiresAt ? (.valid, device) : (.expired, nil)
        }
    }

    /// Trusts a new device for `accountID`, dropping the least recently used beyond the maximum.
    /// - Returns: the device token for the client to keep.
    func trustDevice(for account: AccountRecord, label: String, tx: any MFATransaction, now: Timestamp) async throws -> String {
        let accountID = account.id
        let token = newToken()
        let active = try await tx.activeTrustedDevices(accountID: accountID, now: now)
        let excess = active.count + 1 - configuration.maxTrustedDevices
        if excess > 0 {
            for device in active.prefix(excess) {
                try await tx.revokeTrustedDevice(id: device.id, at: now, reason: .replaced)
            }
        }
        try await tx.insertTrustedDevice(TrustedDeviceRecord(
            id: newIdentifier(), accountID: accountID, tokenDigest: digester.digest(.device, token), label: label,
            createdAt: now, lastUsedAt: now, expiresAt: now + configuration.trustedDeviceLifetimeSeconds))
        try await tx.appendAudit(AuditRecord(at: now, accountID: accountID, kind: .deviceTrusted, detail: label))
        try await notify(account, .deviceTrusted(label: label), tx: tx, now: now)
        return token
    }

    /// `ListTrustedDevices`: the session's account's active devices, most recently used first.
    public func trustedDevices(sessionToken: String) async throws(MFAError) -> [TrustedDeviceRecord] {
        let (_, account) = try await sessionAccount(token: sessionToken)
        let now = clock.now()
        return try await snapshot { tx in try await tx.activeTrustedDevices(accountID: account.id, now: now).reversed() }
    }

    /// `RemoveTrustedDevice`: revokes one of the session's account's devices.
    /// - Throws: `NOT_FOUND` when the account has no such active device.
    public func removeTrustedDevice(sessionToken: String, deviceID: String) async throws(MFAError) {
        try Self.requireIdentifier(deviceID, field: "device_id")
        let (_, account) = try await sessionAccount(token: sessionToken)
        try await transact { tx -> Result<Void, MFAError> in
            let now = self.clock.now()
            guard try await tx.activeTrustedDevices(accountID: account.id, now: now).contains(where: { $0.id == deviceID }) else {
                throw MFAError(.notFound, "No trusted device with this id.")
            }
            try await tx.revokeTrustedDevice(id: deviceID, at: now, reason: .removed)
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .deviceRemoved, detail: deviceID))
            return .success(())
        }
    }

    /// Checks a device label and trims it.
    static func validatedDeviceLabel(_ label: String) throws(MFAError) -> String {
        guard label.utf8.count <= maximumDeviceLabelBytes else {
            throw .invalidArgument("device_label: at most \(maximumDeviceLabelBytes) bytes")
        }
        return label
    }
}
