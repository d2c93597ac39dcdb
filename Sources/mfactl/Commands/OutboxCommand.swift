import ArgumentParser
import MFACore
import MFAStore
import MFAWire

/// `mfactl outbox`: the messages queued for delivery, from the server (ReadOutbox, test mode)
/// or straight from the database file (`--db`), which is how a developer reads the codes of
/// messages `held` by the embedded default.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List the emails and SMS queued for delivery, oldest first, codes included.",
        discussion: """
            Prints each message's id, state, channel, to, subject, code, link_token, created time \
            and body. Without --db it calls ReadOutbox, which only a test-mode server answers; with \
            --db it reads the database file directly (read-only, safe while mfad runs).
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Read the outbox from this mfad database file instead of asking the server.")
    var db: String?

    func run() async throws {
        if let db {
            let messages = try SQLiteMFAStorage.outboxMessages(atPath: db).map { message in
                MFAWire.OutboxMessage(
                    id: UInt64(clamping: message.id), to: message.recipient, channel: message.channel,
                    subject: message.subject, body: message.body, code: message.code, linkToken: message.linkToken,
                    createdUnix: message.createdAt.unixSeconds, state: message.state.rawValue)
            }
            output.emit(ReadOutboxResponse(messages: messages))
        } else {
            output.emit(try await connection.withClient { try await $0.readOutbox() })
        }
    }
}
