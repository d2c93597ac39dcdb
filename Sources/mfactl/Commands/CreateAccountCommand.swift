import ArgumentParser
import MFAWire

/// `mfactl create-account`: CreateAccount.
struct CreateAccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-account",
        abstract: "Create an account (CreateAccount).",
        discussion: """
            The password may come from the MFA_PASSWORD environment variable instead of --password, \
            so that it need not appear in shell history. Prints the new account_id.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The email address (the server trims and lower-cases it).")
    var email: String

    @OptionGroup var password: PasswordOption

    @Option(help: "The phone number in E.164, e.g. +41791234567 (spaces and dashes are ignored).")
    var phone: String

    @Option(help: "The plan, e.g. trial or pro ([a-z0-9._-], at most 64 characters).")
    var plan: String

    @Option(help: "The workspace (tenant) the account belongs to (same rules as --plan).")
    var workspace: String

    func run() async throws {
        let request = CreateAccountRequest(email: email, password: password.value, phone: phone, plan: plan, workspace: workspace)
        output.emit(try await connection.withClient { try await $0.createAccount(request) })
    }
}
