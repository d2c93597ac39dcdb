/// A change to the enforcement policy (`SetEnforcementPolicy`): each part changes only when the
/// request says so, and a change that changes nothing is refused.
public struct EnforcementChange: Sendable {
    /// What happens to one setting.
    public enum Update<Value: Sendable>: Sendable {
        /// Left as it is.
        case unchanged
        /// Set to this value.
        case set(Value)
        /// Removed.
        case remove
    }

    /// Empty for the global date.
    public var workspace: String
    /// The date from which MFA is enforced for that scope.
    public var enforceFrom: Update<Timestamp>
    /// The exempt plans (global); `.set([])` is not a thing: use `.remove`.
    public var exemptPlans: Update<[String]>
    /// The grace period (global).
    public var grace: Update<(logins: Int, days: Int)>

    /// - Parameters: the `SetEnforcementPolicyRequest` fields as updates, unvalidated.
    public init(workspace: String, enforceFrom: Update<Timestamp>, exemptPlans: Update<[String]>,
                grace: Update<(logins: Int, days: Int)>) {
        self.workspace = workspace
        self.enforceFrom = enforceFrom
        self.exemptPlans = exemptPlans
        self.grace = grace
    }

    /// Reads the request's fields: a value or a clear flag per part, never both.
    /// - Throws: `INVALID_ARGUMENT` naming the field when a value and its clear flag are both
    ///   given, or when nothing is to change.
    public init(workspace: String, enforceFromUnix: Int64, clearEnforceFrom: Bool, exemptPlans: [String],
                clearExemptPlans: Bool, graceLogins: Int, graceDays: Int, clearGrace: Bool) throws(MFAError) {
        func update<Value>(_ value: Value?, clear: Bool, field: String, flag: String) throws(MFAError) -> Update<Value> {
            switch (value, clear) {
            case (.some, true): throw .invalidArgument("\(field): must be empty when \(flag) is set")
            case (.some(let value), false): return .set(value)
            case (nil, true): return .remove
            case (nil, false): return .unchanged
            }
        }
        guard enforceFromUnix >= 0 else { throw .invalidArgument("enforce_from_unix: must not be negative") }
        self.init(
            workspace: workspace,
            enforceFrom: try update(enforceFromUnix == 0 ? nil : Timestamp(unixSeconds: enforceFromUnix),
                                    clear: clearEnforceFrom, field: "enforce_from_unix", flag: "clear_enforce_from"),
            exemptPlans: try update(exemptPlans.isEmpty ? nil : exemptPlans, clear: clearExemptPlans,
                                    field: "exempt_plans", flag: "clear_exempt_plans"),
            grace: try update(graceLogins == 0 && graceDays == 0 ? nil : (logins: graceLogins, days: graceDays),
                              clear: clearGrace, field: "grace_logins, grace_days", flag: "clear_grace"))
        if case .unchanged = enforceFrom, case .unchanged = self.exemptPlans, case .unchanged = grace {
            throw .invalidArgument("""
                nothing to change: set enforce_from_unix or clear_enforce_from, exempt_plans or clear_exempt_plans, \
                grace_logins/grace_days or clear_grace
                """)
        }
    }
}

extension MFAService {
    /// Upper bounds for the grace period settings.
    static let maximumGraceLogins = 10_000
    static let maximumGraceDays = 3_650

    /// `SetEnforcementPolicy` (SPEC 2.5).
    /// - Returns: the policy now in force.
    public func setEnforcementPolicy(_ change: EnforcementChange) async throws(MFAError) -> EnforcementPolicy {
        var exempt: [String]?
        do {
            if !change.workspace.isEmpty { _ = try Identifier(change.workspace, field: .workspace) }
            if case .set(let plans) = change.exemptPlans {
                var valid: [String] = []
                for plan in plans { valid.append(try Identifier(plan, field: .plan).value) }
                exempt = valid
            }
        } catch {
            throw MFAError.invalid(error)
        }
        if case .set(let date) = change.enforceFrom, date.unixSeconds < 0 {
            throw .invalidArgument("enforce_from_unix: must not be negative")
        }
        if case .set(let grace) = change.grace {
            guard (0...Self.maximumGraceLogins).contains(grace.logins) else {
                throw .invalidArgument("grace_logins: at most \(Self.maximumGraceLogins)")
            }
            guard (0...Self.maximumGraceDays).contains(grace.days) else {
                throw .invalidArgument("grace_days: at most \(Self.maximumGraceDays)")
            }
        }
        let plans = exempt
        return try await transact { tx in
            let now = self.clock.now()
            var policy = try await tx.enforcementPolicy()
            let newDate: Timestamp?? = switch change.enforceFrom {
            case .unchanged: nil
            case .set(let date): .some(date)
            case .remove: .some(nil)
            }
            if let newDate {
                if change.workspace.isEmpty {
                    policy.globalEnforceFrom = newDate
                } else {
                    policy.workspaceEnforceFrom[change.workspace] = newDate
                }
            }
            if let plans {
                policy.exemptPlans = Set(plans)
            } else if case .remove = change.exemptPlans {
                policy.exemptPlans = []
            }
            switch change.grace {
            case .unchanged: break
            case .set(let grace): (policy.graceLogins, policy.graceDays) = (grace.logins, grace.days)
            case .remove: (policy.graceLogins, policy.graceDays) = (0, 0)
            }
            try await tx.setEnforcementPolicy(policy)
            let scope = change.workspace.isEmpty ? "global" : "workspace=\(change.workspace)"
            let current = change.workspace.isEmpty ? policy.globalEnforceFrom : policy.workspaceEnforceFrom[change.workspace]
            let date = current.map { "\($0.unixSeconds)" } ?? "none"
            try await tx.appendAudit(AuditRecord(at: now, accountID: "", kind: .policyChanged,
                                           detail: "\(scope) enforce_from=\(date) exempt=\(policy.exemptPlans.sorted().joined(separator: ","))"))
            return .success(policy)
        }
    }

    /// `GetEnforcementPolicy`.
    public func enforcementPolicy() async throws(MFAError) -> EnforcementPolicy {
        try await snapshot { tx in try await tx.enforcementPolicy() }
    }
}
