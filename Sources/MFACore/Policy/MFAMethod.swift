/// A way to answer an MFA challenge; the raw value is the wire string of `LoginResponse.methods`.
public enum MFAMethod: String, Sendable, Hashable, CaseIterable {
    /// A code (or link) sent by email.
    case email = "email"
    /// A code from an authenticator app.
    case totp = "totp"
    /// One of the account's single-use recovery codes.
    case recoveryCode = "recovery_code"
}
