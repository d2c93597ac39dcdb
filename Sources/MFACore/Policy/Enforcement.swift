/// Whether mandatory MFA applies to an account right now (SPEC 2.5).
public enum Enforcement: Sendable, Hashable {
    /// No enforcement: no date yet, the date is in the future, or the plan is exempt.
    case notEnforced
    /// The date has passed but the grace period runs: remind the user, do not require a code.
    /// `remindersLeft` (counting this login) is set when grace is counted in logins, `until`
    /// when it is counted in days; both when both are configured (grace ends at the first).
    case grace(remindersLeft: Int?, until: Timestamp?)
    /// Enforced: an account without TOTP gets email MFA at every login from an untrusted device,
    /// and `DisableMfa` answers `MFA_ENFORCED`.
    case enforced

    /// Whether this is ``enforced``.
    public var isEnforced: Bool { self == .enforced }
}
