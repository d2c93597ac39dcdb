import ArgumentParser
import MFAServer

/// `mfad`: the MFA service. Without a subcommand it serves.
@main
struct Mfad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfad",
        abstract: "The mfad multi-factor authentication service.",
        version: ServerVersion.current,
        subcommands: [Serve.self, Keys.self, Backup.self, Migrate.self],
        defaultSubcommand: Serve.self
    )
}
