/// The mandatory-MFA policy (SPEC 2.5): enforcement dates, exempt plans and an optional grace.
///
/// - The date that applies to an account is its workspace's when one is set (earlier or later
///   than the global one), else the global date; no date means no enforcement.
/// - Enforcement starts at the date itself (`now >= date`).
/// - Accounts on an exempt plan (default `trial`) are never enforced (they may still use TOTP).
/// - Grace: from the date, for `graceDays` days and/or `graceLogins` logins, the login answer
///   carries a reminder instead of asking for a code. With both set, grace ends at whichever
///   runs out first. Counting logins needs per-account state: the caller passes how many
///   reminded logins the account has had since its date (`graceLoginsUsed`) and increments it
///   when it shows a reminder.
public struct EnforcementPolicy: Sendable, Hashable {
    /// The global enforcement date, if any.
    public var globalEnforceFrom: Timestamp?
    /// Per-workspace dates, overriding the global one (keyed by workspace name).
    public var workspaceEnforceFrom: [String: Timestamp]
    /// Plans never enforced (default `["trial"]`).
    public var exemptPlans: Set<String>
    /// Logins with a reminder before the code is compulsory (default 0: no login grace).
    public var graceLogins: Int
    /// Days with a reminder before the code is compulsory (default 0: no day grace).
    public var graceDays: Int

    /// Creates a policy; the default enforces nothing.
    /// - Parameters:
    ///   - globalEnforceFrom: The global date.
    ///   - workspaceEnforceFrom: Per-workspace dates.
    ///   - exemptPlans: Exempt plans.
    ///   - graceLogins: Reminded logins after the date (0 or more).
    ///   - graceDays: Reminded days after the date (0 or more).
    public init(
        globalEnforceFrom: Timestamp? = nil,
        workspaceEnforceFrom: [String: Timestamp] = [:],
        exemptPlans: Set<String> = ["trial"],
        graceLogins: Int = 0,
        graceDays: Int = 0
    ) {
        self.globalEnforceFrom = globalEnforceFrom
        self.workspaceEnforceFrom = workspaceEnforceFrom
        self.exemptPlans = exemptPlans
        self.graceLogins = graceLogins
        self.graceDays = graceDays
    }

    /// The enforcement date that applies to a workspace.
    /// - Parameter workspace: The account's workspace name.
    /// - Returns: The workspace's date, else the global one, else `nil`.
    public func enforceFrom(forWorkspace workspace: String) -> Timestamp? {
        workspaceEnforceFrom[workspace] ?? globalEnforceFrom
    }

    /// Whether enforcement applies to an account.
    /// - Parameters:
    ///   - workspace: The account's workspace.
    ///   - plan: The account's plan.
    ///   - now: The current time.
    ///   - graceLoginsUsed: Reminded logins the account has had since its date (only read when
    ///     ``graceLogins`` is above 0).
    /// - Returns: ``Enforcement/notEnforced``, ``Enforcement/grace(remindersLeft:until:)`` or
    ///   ``Enforcement/enforced``.
    public func enforcement(forWorkspace workspace: String, plan: String, now: Timestamp, graceLoginsUsed: Int = 0) -> Enforcement {
        guard !exemptPlans.contains(plan), let start = enforceFrom(forWorkspace: workspace), now >= start else {
            return .notEnforced
        }
        var remindersLeft: Int?
        var until: Timestamp?
        if graceLogins > 0 {
            let left = graceLogins - max(0, graceLoginsUsed)
            guard left > 0 else { return .enforced }
            remindersLeft = left
        }
        if graceDays > 0 {
            let (graceSeconds, overflow) = Int64(graceDays).multipliedReportingOverflow(by: Durations.day)
            let end = start.adding(seconds: overflow ? .max : graceSeconds)
            guard now < end else { return .enforced }
            until = end
        }
        if remindersLeft == nil && until == nil { return .enforced }
        return .grace(remindersLeft: remindersLeft, until: until)
    }
}
