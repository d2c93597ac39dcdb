/// Why a login asks for a code; the raw value is the wire string of `LoginResponse.reason`.
public enum MFAReason: String, Sendable, Hashable, CaseIterable {
    /// The account trusts some devices, and this login presented none of them.
    case newDevice = "NEW_DEVICE"
    /// The login presented this account's device token, but its trust expired.
    case deviceExpired = "DEVICE_EXPIRED"
    /// The login presented this account's device token, revoked by a password change.
    case passwordChanged = "PASSWORD_CHANGED"
    /// MFA is enforced for the account (no TOTP) and it trusts no device.
    case mfaEnforced = "MFA_ENFORCED"
    /// The account enabled TOTP and trusts no device.
    case mfaEnabled = "MFA_ENABLED"
}
