import ArgumentParser
import Foundation
import MFACore
import MFAStore
import MFAWire

/// `mfactl outbox`: the messages queued for delivery, from the server (ReadOutbox, test mode)
/// or straight from the database file (`--db`), which is how a developer reads the codes of
/// messages `held` by the embedded default. Contents are sealed at rest, so `--db` needs the
/// database's master key.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List the emails and SMS queued for delivery, oldest first, codes included.",
        discussion: """
            Prints each message's id, state, channel, to, subject, code, link_token, created time \
            and body (sent and dead messages are scrubbed: no body, code or link). Without --db it \
            calls ReadOutbox, which only a test-mode server answers; with --db it reads the database \
            file directly (read-only, safe while mfad runs) and opens the sealed contents with the \
            master key: MFAD_MASTER_KEY, --master-key-file (env MFAD_MASTER_KEY_FILE), or the \
            development key beside the database (DB.key, made by mfad --dev).
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Read the outbox from this mfad database file instead of asking the server.")
    var db: String?

    @Option(name: .customLong("master-key-file"), help: "With --db: the file holding the database's master key (64 hex digits).")
    var masterKeyFile: String?

    func run() async throws {
        if let db {
            let messages = try await opened(db: db).map { message in
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

    /// The outbox of `db`, opened with the key from the environment, the key file, or the
    /// development key file beside the database.
    private func opened(db: String) async throws -> [OpenedOutboxMessage] {
        let environment = ProcessInfo.processInfo.environment
        if let hex = environment["MFAD_MASTER_KEY"] {
            return try await SQLiteMFAStorage.openedOutboxMessages(atPath: db, master: try MasterKey(hex: hex, source: "MFAD_MASTER_KEY"))
        }
        let file = masterKeyFile ?? environment["MFAD_MASTER_KEY_FILE"] ?? db + ".key"
        return try await SQLiteMFAStorage.openedOutboxMessages(atPath: db, masterKeyFile: file)
    }
}
