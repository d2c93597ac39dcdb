import ArgumentParser
import MFAWire

/// `mfactl mfa-status`: GetMfaStatus.
struct MfaStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfa-status",
        abstract: "Show the second-factor state of a session's account (GetMfaStatus).",
        discussion: """
            Prints totp_enabled, mfa_enforced, the enforce_from date that applies, the methods a \
            login would offer, locked (with retry_after_seconds, or locked_until_support), \
            attempts_remaining and the number of trusted_devices.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The session token of the account's login.")
    var sessionToken: String

    func run() async throws {
        let request = GetMfaStatusRequest(sessionToken: sessionToken)
        output.emit(try await connection.withClient { try await $0.getMfaStatus(request) })
    }
}
