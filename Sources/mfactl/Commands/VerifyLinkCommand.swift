import ArgumentParser
import MFAWire

/// `mfactl verify-link`: VerifyLink.
struct VerifyLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-link",
        abstract: "Complete an email challenge with the link token from the email (VerifyLink).",
        discussion: "Prints session_token and session_expires.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The link token from the email (in test mode, 'mfactl outbox' shows it).")
    var linkToken: String

    func run() async throws {
        let request = VerifyLinkRequest(linkToken: linkToken)
        output.emit(try await connection.withClient { try await $0.verifyLink(request) })
    }
}
