import ArgumentParser

/// `mfactl info`: ServerInfo.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print what the server is (ServerInfo).",
        discussion: "Prints version, protocol_version, uptime_seconds, test_mode and the rpcs the server answers.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        output.emit(try await connection.withClient { try await $0.serverInfo() })
    }
}
