import ArgumentParser
import MFAClient

/// `mfactl`: calls mfad from a shell, for support and scripts.
///
/// `main()` is written out (rather than ArgumentParser's) so that the exit status tells the kind
/// of failure: 1 the server answered with an error, 2 the command line is wrong, 3 the server
/// could not be reached or did not answer in time.
@main
struct Mfactl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfactl",
        abstract: "Call the mfad service from a shell.",
        discussion: """
            Every command takes --server HOST:PORT (or MFAD_ADDR), --timeout SECONDS and --json. \
            Output is aligned 'label: value' lines, times in ISO-8601 UTC with their unix seconds; \
            --json prints the response as one JSON object keyed by proto field names instead.

            On failure mfactl writes 'error: CODE: message' to stderr and exits with 1 when the \
            server answered with an error, 2 when the command line is wrong, 3 when the server \
            could not be reached or did not answer in time.
            """,
        subcommands: [
            PingCommand.self, InfoCommand.self,
            CreateAccountCommand.self, VerifyContactCommand.self, ResendContactCommand.self,
            InviteCommand.self, AcceptInviteCommand.self, LoginCommand.self, VerifyCommand.self, ResendCommand.self,
            VerifyLinkCommand.self, SessionCommand.self, MfaStatusCommand.self,
            PolicyCommand.self, UnlockCommand.self, AuditCommand.self,
            TotpCommand.self, RecoveryCodesCommand.self, DevicesCommand.self, DisableMfaCommand.self,
            ChangePasswordCommand.self, ResetMfaCommand.self,
            ClockCommand.self, OutboxCommand.self,
        ]
    )

    /// Parses the command line, runs the command, and exits with a status per kind of failure.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForArgumentParser(error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let error as MFAClientError {
            exit(withError: ExitCode(CommandFailure.report(error)))
        } catch let error as ValidationError {
            exit(withError: ExitCode(CommandFailure.report(error)))
        } catch {
            // `--help` and `mfactl help` arrive here too: ArgumentParser runs a help command.
            exitForArgumentParser(error)
        }
    }

    /// Exits the way ArgumentParser would (help and version print and exit 0), except that bad
    /// arguments exit 2 after the usual message.
    private static func exitForArgumentParser(_ error: any Error) -> Never {
        switch exitCode(for: error) {
        case .validationFailure:
            StandardError.writeLine(fullMessage(for: error))
            exit(withError: ExitCode(CommandFailure.usage))
        case .success:
            exit(withError: error)
        default:
            if error is ExitCode || error is CleanExit { exit(withError: error) }
            exit(withError: ExitCode(CommandFailure.report(error)))
        }
    }
}
