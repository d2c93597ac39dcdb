import ArgumentParser
import MFAWire

/// `mfactl login`: Login.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in with email and password (Login).",
        discussion: """
            The password may come from the MFA_PASSWORD environment variable instead of --password. \
            Prints session_token and session_expires when no code is needed; otherwise challenge_id, \
            the methods that can complete it and the reason a code is asked (complete it with \
            'mfactl verify' or 'mfactl verify-link'). mfa_reminder says MFA becomes compulsory soon.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The account's email address.")
    var email: String

    @OptionGroup var password: PasswordOption

    @Option(help: "A trusted-device token from an earlier 'mfactl verify --trust-device'.")
    var deviceToken: String = ""

    @Option(help: "Free text about the client for the audit log (at most 512 bytes).")
    var clientInfo: String = ""

    func run() async throws {
        let request = LoginRequest(email: email, password: password.value, deviceToken: deviceToken, clientInfo: clientInfo)
        output.emit(try await connection.withClient { try await $0.login(request) })
    }
}
