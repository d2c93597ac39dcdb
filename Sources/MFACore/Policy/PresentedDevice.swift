/// What the device token presented at login turned out to be, for this account.
public enum PresentedDevice: Sendable, Hashable {
    /// No token was presented (a different browser, cookies cleared).
    case none
    /// A trusted-device token of this account, not expired, not revoked.
    case valid
    /// A token of this account whose trust has expired.
    case expired
    /// A token of this account revoked by a password change.
    case revokedByPasswordChange
    /// Anything else: unknown, malformed, of another account, removed, or revoked by `ResetMfa`
    /// or `DisableMfa`. Treated like ``none``; never reveals why.
    case unrecognized
}
