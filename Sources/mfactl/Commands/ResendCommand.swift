import ArgumentParser
import MFAWire

/// `mfactl resend`: ResendCode.
struct ResendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resend",
        abstract: "Send a new email code and link for an open challenge (ResendCode).",
        discussion: """
            The previous code and link stop working. Prints code_expires and resends_remaining. \
            Too soon after the last email fails with RATE_LIMITED and the seconds to wait.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The challenge_id printed by 'mfactl login'.")
    var challengeID: String

    func run() async throws {
        let request = ResendCodeRequest(challengeID: challengeID)
        output.emit(try await connection.withClient { try await $0.resendCode(request) })
    }
}
