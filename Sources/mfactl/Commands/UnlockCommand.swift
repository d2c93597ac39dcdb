import ArgumentParser
import MFAWire

/// `mfactl unlock`: UnlockAccount (support).
struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Clear an account's wrong-code counter and any lock (UnlockAccount, support).",
        discussion: "Prints 'ok' ({} with --json). An unknown account fails with NOT_FOUND.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The account to unlock.")
    var accountID: String

    func run() async throws {
        let request = UnlockAccountRequest(accountID: accountID)
        output.emit(try await connection.withClient { try await $0.unlockAccount(request) })
    }
}
