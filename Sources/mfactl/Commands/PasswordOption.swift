import ArgumentParser
import MFACtlSupport

/// `--password`, or the `MFA_PASSWORD` environment variable so the password stays out of shell
/// history and the process list. The password is sent to the server and never printed.
struct PasswordOption: ParsableArguments {
    /// The variable read when `--password` is not given.
    static let environmentVariable = "MFA_PASSWORD"

    @Option(help: ArgumentHelp(
        "The account's password. Prefer setting \(environmentVariable) in the environment instead: "
            + "a flag is kept in shell history and visible to other users in the process list."))
    var password: String?

    /// The password to send: `--password`, else `MFA_PASSWORD`; empty when neither is set
    /// (`validate()` refuses that).
    var value: String {
        password ?? EnvironmentVariable.value(Self.environmentVariable) ?? ""
    }

    func validate() throws {
        guard value.isEmpty else { return }
        throw ValidationError("Missing password: set \(Self.environmentVariable) in the environment, or pass --password.")
    }
}
