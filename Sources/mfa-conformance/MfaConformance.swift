import ArgumentParser
import Foundation
import MFAConformance

/// `mfa-conformance`: records the conformance exchanges and replays them against a server.
@main
struct MfaConformance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfa-conformance",
        abstract: "Record and replay the wire-protocol conformance exchanges.",
        subcommands: [Replay.self, Record.self, CheckCoverage.self],
        defaultSubcommand: Replay.self
    )
}

/// Where the exchange files live.
struct ExchangeOptions: ParsableArguments {
    @Option(help: "The exchange folder.")
    var exchanges: String = "Tests/Conformance/exchanges"

    @Option(help: "The mfad binary to start (default: the one beside this program).")
    var mfad: String?

    var directory: URL { URL(fileURLWithPath: exchanges) }
    var executable: URL? { mfad.map { URL(fileURLWithPath: $0) } }
}

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay every exchange (or one) and compare the server's frames byte for byte.",
        discussion: """
            Without --server, each exchange runs against a fresh `mfad --test-mode --seed 1` this \
            program starts, on a temporary SQLite file, or with --postgres URL (env \
            MFA_CONFORMANCE_POSTGRES_URL) on a scratch database made on that PostgreSQL server for \
            the exchange (kept across its restarts) and dropped after it. With --server HOST:PORT \
            the server must be such a fresh server, so name one exchange with --only.
            """)

    @OptionGroup var options: ExchangeOptions

    @Option(help: "Replay against this running server (127.0.0.1:PORT) instead of starting one.")
    var server: String?

    @Option(help: "Replay only this exchange (file name without .exchange).")
    var only: String?

    @Option(help: ArgumentHelp("Run each exchange's server on a scratch database on this PostgreSQL server (postgres://USER:PASSWORD@HOST:PORT/DB, a role with CREATEDB; env MFA_CONFORMANCE_POSTGRES_URL).",
                               valueName: "url"))
    var postgres: String?

    /// The PostgreSQL server for the exchanges' databases: the flag, else the environment, else none (SQLite).
    var postgresURL: String? {
        if let postgres { return postgres }
        let value = ProcessInfo.processInfo.environment["MFA_CONFORMANCE_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }

    func run() async throws {
        var exchanges = try ExchangeDirectory.load(options.directory)
        if let only { exchanges = exchanges.filter { $0.name == only } }
        guard !exchanges.isEmpty else { throw ValidationError("no exchange to replay in \(options.exchanges)") }
        if server != nil && exchanges.count > 1 {
            throw ValidationError("--server needs --only: every exchange expects a fresh server")
        }
        if server != nil && postgresURL != nil {
            throw ValidationError("--postgres chooses the database of the servers this program starts; it cannot be used with --server")
        }
        let postgresURL = self.postgresURL
        print("engine: \(postgresURL == nil ? "SQLite" : "PostgreSQL (a scratch database per exchange)")")
        var failed = 0
        for exchange in exchanges {
            let mismatch: ReplayMismatch?
            if let server {
                guard let port = server.split(separator: ":").last.flatMap({ Int($0) }) else {
                    throw ValidationError("--server must look like 127.0.0.1:PORT")
                }
                mismatch = try await Replayer.replay(exchange, port: { port })
            } else {
                mismatch = try await Replayer.replay(exchange, executable: options.executable, postgresURL: postgresURL)
            }
            if let mismatch {
                failed += 1
                print("FAIL \(exchange.name)\n\(mismatch)\n")
            } else {
                print("ok   \(exchange.name)")
            }
        }
        print("\(exchanges.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

struct Record: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record every scenario against fresh servers and rewrite the exchange files.")

    @OptionGroup var options: ExchangeOptions

    func run() async throws {
        let exchanges = try await Recorder.recordAll(into: options.directory, executable: options.executable)
        print("recorded \(exchanges.count) exchanges into \(options.exchanges)")
        let problems = Coverage.problems(in: exchanges)
        for problem in problems { print("coverage: \(problem)") }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

struct CheckCoverage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Check that the exchanges show every RPC answered and every error code.")

    @OptionGroup var options: ExchangeOptions

    func run() async throws {
        let problems = Coverage.problems(in: try ExchangeDirectory.load(options.directory))
        for problem in problems { print("coverage: \(problem)") }
        if !problems.isEmpty { throw ExitCode(1) }
        print("every RPC and error code is covered")
    }
}
