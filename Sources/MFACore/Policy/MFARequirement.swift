/// Whether a login needs a second factor (SPEC 2, "When MFA is required").
public enum MFARequirement: Sendable, Hashable {
    /// Issue a session. `reminder` is set during an enforcement grace period for accounts
    /// without TOTP (the "MFA is coming" flag of the login answer).
    case notRequired(reminder: Bool)
    /// Create a challenge offering `methods` (in this order), explaining it with `reason`.
    case required(reason: MFAReason, methods: [MFAMethod])

    /// Decides whether a login needs a code, and which methods and reason to offer.
    ///
    /// A code is required when TOTP is enabled or MFA is enforced for the account (trial plans
    /// are exempt: ``EnforcementPolicy`` answers ``Enforcement/notEnforced`` for them), and the
    /// login did not present a valid trusted-device token of the account.
    ///
    /// Methods: with TOTP `[totp, recovery_code]`, plus `email` when the fallback is allowed;
    /// enforced without TOTP: `[email]`.
    ///
    /// Reason: a presented token of this account that expired gives `DEVICE_EXPIRED`, one revoked
    /// by a password change `PASSWORD_CHANGED`. Otherwise (no token, or one not recognised):
    /// `NEW_DEVICE` when the account trusts at least one device, else `MFA_ENABLED` with TOTP
    /// and `MFA_ENFORCED` without.
    ///
    /// - Parameters:
    ///   - totpEnabled: Whether the account has confirmed TOTP.
    ///   - enforcement: The account's enforcement (``EnforcementPolicy/enforcement(forWorkspace:plan:now:graceLoginsUsed:)``).
    ///   - presentedDevice: What the login's device token is for this account.
    ///   - accountHasTrustedDevices: Whether the account has any valid trusted device now.
    ///   - emailFallbackAllowed: Whether policy offers email to TOTP accounts (default no).
    /// - Returns: The requirement.
    public static func decide(
        totpEnabled: Bool,
        enforcement: Enforcement,
        presentedDevice: PresentedDevice,
        accountHasTrustedDevices: Bool,
        emailFallbackAllowed: Bool
    ) -> MFARequirement {
        let inGrace: Bool
        if case .grace = enforcement { inGrace = true } else { inGrace = false }
        let needsSecondFactor = totpEnabled || enforcement.isEnforced
        guard needsSecondFactor, presentedDevice != .valid else {
            return .notRequired(reminder: inGrace && !totpEnabled)
        }
        let methods: [MFAMethod] = totpEnabled
            ? [.totp, .recoveryCode] + (emailFallbackAllowed ? [.email] : [])
            : [.email]
        let reason: MFAReason
        switch presentedDevice {
        case .expired:
            reason = .deviceExpired
        case .revokedByPasswordChange:
            reason = .passwordChanged
        case .none, .unrecognized, .valid:
            if accountHasTrustedDevices {
                reason = .newDevice
            } else {
                reason = totpEnabled ? .mfaEnabled : .mfaEnforced
            }
        }
        return .required(reason: reason, methods: methods)
    }
}
