import ArgumentParser
import MFAWire

/// `mfactl session`: the session calls, ValidateSession and Logout.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Check or end a session.",
        subcommands: [Validate.self, Logout.self]
    )

    /// `mfactl session validate`: ValidateSession.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check a session token (ValidateSession).",
            discussion: """
                Prints whose session it is: account_id, email, plan, workspace, and when it expires. \
                An unknown, expired or logged-out token fails with INVALID_SESSION.
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The session token from a login.")
        var sessionToken: String

        func run() async throws {
            let request = ValidateSessionRequest(sessionToken: sessionToken)
            output.emit(try await connection.withClient { try await $0.validateSession(request) })
        }
    }

    /// `mfactl session logout`: Logout.
    struct Logout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logout",
            abstract: "Revoke a session (Logout).",
            discussion: "Prints 'ok' ({} with --json). An unknown or already revoked token fails with INVALID_SESSION.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The session token to revoke.")
        var sessionToken: String

        func run() async throws {
            let request = LogoutRequest(sessionToken: sessionToken)
            output.emit(try await connection.withClient { try await $0.logout(request) })
        }
    }
}
