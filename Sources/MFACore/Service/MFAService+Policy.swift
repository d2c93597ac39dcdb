/// A change to the enforcement policy (`SetEnforcementPolicy`).
public struct EnforcementChange: Sendable {
    /// Empty for the global date.
    public var workspace: String
    /// The date from which MFA is enforced for that scope; nil removes it.
    public var enforceFrom: Timestamp?
    /// Replaces the exempt plans when non-empty.
    public var exemptPlans: [String]
    /// Empties the exempt plans.
    public var clearExemptPlans: Bool
    public var graceLogins: Int
    public var graceDays: Int

    /// - Parameters: the `SetEnforcementPolicyRequest` fields, unvalidated.
    public init(workspace: String, enforceFrom: Timestamp?, exemptPlans: [String], clearExemptPlans: Bool, graceLogins: Int, graceDays: Int) {
        self.workspace = workspace
        self.enforceFrom = enforceFrom
        self.exemptPlans = exemptPlans
        self.clearExemptPlans = clearExemptPlans
        self.graceLogins = graceLogins
        self.graceDays = graceDays
    }
}

extension MFAService {
    /// Upper bounds for the grace period settings.
    static let maximumGraceLogins = 10_000
    static let maximumGraceDays = 3_650

    /// `SetEnforcementPolicy` (SPEC 2.5).
    /// - Returns: the policy now in force.
    public func setEnforcementPolicy(_ change: EnforcementChange) async throws(MFAError) -> EnforcementPolicy {
        var exempt: [String] = []
        do {
            if !change.workspace.isEmpty { _ = try Identifier(change.workspace, field: .workspace) }
            for plan in change.exemptPlans { exempt.append(try Identifier(plan, field: .plan).value) }
        } catch {
            throw MFAError.invalid(error)
        }
        if change.clearExemptPlans && !exempt.isEmpty {
            throw .invalidArgument("exempt_plans: must be empty when clear_exempt_plans is set")
        }
        if let date = change.enforceFrom, date.unixSeconds < 0 {
            throw .invalidArgument("enforce_from_unix: must not be negative")
        }
        guard (0...Self.maximumGraceLogins).contains(change.graceLogins) else {
            throw .invalidArgument("grace_logins: at most \(Self.maximumGraceLogins)")
        }
        guard (0...Self.maximumGraceDays).contains(change.graceDays) else {
            throw .invalidArgument("grace_days: at most \(Self.maximumGraceDays)")
        }
        let plans = exempt
        return try await transact { tx in
            let now = self.clock.now()
            var policy = try tx.enforcementPolicy()
            if change.workspace.isEmpty {
                policy.globalEnforceFrom = change.enforceFrom
            } else {
                policy.workspaceEnforceFrom[change.workspace] = change.enforceFrom
            }
            if change.clearExemptPlans {
                policy.exemptPlans = []
            } else if !plans.isEmpty {
                policy.exemptPlans = Set(plans)
            }
            policy.graceLogins = change.graceLogins
            policy.graceDays = change.graceDays
            try tx.setEnforcementPolicy(policy)
            let scope = change.workspace.isEmpty ? "global" : "workspace=\(change.workspace)"
            let date = change.enforceFrom.map { "\($0.unixSeconds)" } ?? "none"
            try tx.appendAudit(AuditRecord(at: now, accountID: "", kind: .policyChanged,
                                           detail: "\(scope) enforce_from=\(date) exempt=\(policy.exemptPlans.sorted().joined(separator: ","))"))
            return .success(policy)
        }
    }

    /// `GetEnforcementPolicy`.
    public func enforcementPolicy() async throws(MFAError) -> EnforcementPolicy {
        try await snapshot { tx in try tx.enforcementPolicy() }
    }
}
