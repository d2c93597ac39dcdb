/// The authenticated data a TOTP secret is sealed with: it binds the ciphertext to its account,
/// so a sealed secret copied onto another account's row does not open.
public enum TOTPSecretContext {
    /// The associated data for `accountID`'s TOTP secret.
    public static func associatedData(accountID: String) -> String {
        "mfad/totp-secret/v1/\(accountID)"
    }
}
