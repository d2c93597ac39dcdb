import ArgumentParser
import MFAWire

/// `mfactl clock`: the test-mode clock.
struct ClockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock",
        abstract: "Move the manual clock of a server in test mode.",
        subcommands: [Advance.self]
    )

    /// `mfactl clock advance`: AdvanceClock (test mode only).
    struct Advance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "advance",
            abstract: "Move the test clock forward (AdvanceClock, test mode only).",
            discussion: """
                Prints the server's time afterwards (now). 0 only reads it. Outside test mode the \
                server answers UNIMPLEMENTED.
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "How many seconds to move the clock forward.")
        var seconds: UInt64

        func run() async throws {
            let request = AdvanceClockRequest(seconds: seconds)
            output.emit(try await connection.withClient { try await $0.advanceClock(request) })
        }
    }
}
