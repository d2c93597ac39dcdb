import ArgumentParser
import MFAWire

/// `mfactl outbox`: ReadOutbox (test mode only).
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List the emails and SMS queued for delivery, oldest first (ReadOutbox, test mode only).",
        discussion: """
            Prints each message's id, state, channel, to, subject, code, link_token, created time \
            and body. Outside test mode the server answers UNIMPLEMENTED.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        output.emit(try await connection.withClient { try await $0.readOutbox() })
    }
}
