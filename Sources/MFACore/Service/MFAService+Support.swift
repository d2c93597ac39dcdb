extension MFAService {
    /// Default and largest page of `ListAuditEvents`.
    public static let defaultAuditLimit = 100
    public static let maximumAuditLimit = 1_000

    /// `UnlockAccount` (support): clears the wrong-code counter, any lock and the lock history.
    public func unlockAccount(accountID: String) async throws(MFAError) {
        try Self.requireIdentifier(accountID, field: "account_id")
        try await transact { tx -> Result<Void, MFAError> in
            let now = self.clock.now()
            guard let account = try await tx.account(id: accountID) else {
                throw MFAError(.notFound, "No account has this id.")
            }
            try await tx.updateAttempts(accountID: account.id, self.configuration.lockout.unlock(account.attempts))
            try await tx.appendAudit(AuditRecord(at: now, accountID: account.id, kind: .unlocked))
            return .success(())
        }
    }

    /// `ListAuditEvents` (support): events at or after `since`, oldest first.
    /// - Parameters:
    ///   - accountID: the account; empty for every account and the global events.
    ///   - since: the earliest time.
    ///   - limit: 0 for the default (100); at most 1,000.
    public func auditEvents(accountID: String, since: Timestamp, limit: Int) async throws(MFAError) -> [AuditRecord] {
        guard (0...Self.maximumAuditLimit).contains(limit) else {
            throw .invalidArgument("limit: at most \(Self.maximumAuditLimit)")
        }
        if !accountID.isEmpty { try Self.requireIdentifier(accountID, field: "account_id") }
        let pageSize = limit == 0 ? Self.defaultAuditLimit : limit
        return try await snapshot { tx in
            if !accountID.isEmpty, try await tx.account(id: accountID) == nil {
                throw MFAError(.notFound, "No account has this id.")
            }
            return try await tx.auditEvents(accountID: accountID.isEmpty ? nil : accountID, since: since, limit: pageSize)
        }
    }
}
