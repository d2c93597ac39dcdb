import ArgumentParser
import MFACtlSupport
import MFAWire

/// `mfactl audit`: ListAuditEvents (support).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List an account's security events, oldest first (ListAuditEvents, support).",
        discussion: "Prints each event's id, time, account_id, kind and detail.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The account whose events to list; omitted: every account's events and the global ones.")
    var accountID: String = ""

    @Option(
        help: ArgumentHelp(
            "Only events at or after this time: unix seconds, a date (2026-03-01) or a time with a zone "
                + "(2026-03-01T00:00:00Z). Omitted: all.",
            valueName: "time"),
        transform: { text in try UnixTime.parse(text) })
    var since: Int64 = 0

    @Option(help: "At most this many events, 1 to 1000 (omitted: the server's default, 100).")
    var limit: UInt32 = 0

    func run() async throws {
        let request = ListAuditEventsRequest(accountID: accountID, sinceUnix: since, limit: limit)
        output.emit(try await connection.withClient { try await $0.listAuditEvents(request) })
    }
}
