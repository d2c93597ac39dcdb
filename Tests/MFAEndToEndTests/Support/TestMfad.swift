import MFAConformance
import Foundation
import MFAClient
import MFAStore
import MFAWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One `mfad` for one test: its own temporary directory and database (or a shared database,
/// as one node of a ``TestCluster``), and a connected client.
///
/// Use it through ``withMfad(_:database:extraArguments:_:)``, which stops the process and removes the directory.
/// The suites that use it are `.serialized`: every test starts its own process, and the machine is
/// shared, so one test per suite at a time keeps the load (Argon2id, SQLite fsyncs) bounded.
final class TestMfad {
    /// How the executable is started.
    enum Mode {
        /// `--test-mode --seed 1`: manual clock from 2026-01-01T00:00:00Z, `AdvanceClock`, `ReadOutbox`.
        case test
        /// Outside test mode: `--dev` (a development master key beside the database).
        case outsideTestMode
    }

    let directory: URL
    /// The flags `mfad` was started with; a restart uses the same ones.
    private(set) var arguments: [String]
    /// The mode's and database's flags, without the extra ones.
    private let baseArguments: [String]
    private(set) var process: MfadProcess
    /// A connection to the current process (replaced by ``restart(signal:)``).
    private(set) var client: MFAClient
    private var extraClients: [MFAClient] = []

    var databasePath: String { directory.appendingPathComponent("mfa.sqlite").path }
    private let mode: Mode
    /// The credentials clients authenticate with (nil with `--dev`, where authentication is off).
    let credentials: MFAClient.Credentials?

    /// Every queued message, oldest first: `ReadOutbox` in test mode, else read from the
    /// database file (as `mfactl outbox --db` does).
    func outbox() async throws -> [OutboxMessage] {
        switch mode {
        case .test:
            return try await client.readOutbox().messages
        case .outsideTestMode:
            return try await SQLiteMFAStorage.openedOutboxMessages(atPath: databasePath, masterKeyFile: databasePath + ".key").map { message in
                OutboxMessage(id: UInt64(message.id), to: message.recipient, channel: message.channel, subject: message.subject,
                              body: message.body, code: message.code, linkToken: message.linkToken,
                              createdUnix: message.createdAt.unixSeconds, state: message.state.rawValue)
            }
        }
    }

    /// The flags of test mode (the API key is registered with the same ones, which find its master key).
    static let testModeArguments = ["--test-mode", "--seed", "1"]

    /// Starts `mfad`.
    /// - Parameters:
    ///   - database: nil: a new SQLite file in the temporary directory (in test mode with the
    ///     API key ``MFAClient/Credentials/endToEnd`` registered); else the `--db` of a database
    ///     that already holds that key (e.g. a ``TestCluster``'s shared PostgreSQL database).
    ///   - extraArguments: more flags, kept on restarts.
    init(_ mode: Mode, database: String? = nil, extraArguments: [String] = []) async throws {
        self.mode = mode
        self.credentials = mode == .test ? .endToEnd : nil
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let databaseFlags = ["--db", database ?? directory.appendingPathComponent("mfa.sqlite").path]
        do {
            baseArguments = (mode == .test ? Self.testModeArguments : ["--dev"]) + databaseFlags
            switch mode {
            case .test:
                arguments = Self.testModeArguments + databaseFlags + extraArguments
                if database == nil {
                    try Self.registerEndToEndKey(database: directory.appendingPathComponent("mfa.sqlite").path)
                }
                process = try await MfadProcess(arguments)
            case .outsideTestMode:
                arguments = ["--dev"] + databaseFlags + extraArguments
                process = try await MfadProcess(arguments)
            }
            client = try await process.client(credentials: credentials)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Registers ``MFAClient/Credentials/endToEnd`` in `database` (a SQLite path or a `postgres://` URL).
    static func registerEndToEndKey(database: String) throws {
        try MfadProcess.createAPIKey(service: MFAClient.Credentials.endToEnd.service, key: MFAClient.Credentials.endToEnd.apiKey,
                                     database: database, keyFlags: testModeArguments)
    }

    /// Opens `count` more connections to the current process (closed with the test).
    func connections(_ count: Int) async throws -> [MFAClient] {
        var opened: [MFAClient] = []
        for _ in 0..<count {
            opened.append(try await process.client(credentials: credentials))
        }
        extraClients += opened
        return opened
    }

    /// Stops the process with `signal` (by default `kill -9`: no chance to flush or clean up),
    /// then starts `mfad` again with the same flags on the same database and reconnects.
    func restart(signal: Int32 = SIGKILL) async throws {
        try await restart(signal: signal, replacingExtraArguments: nil)
    }

    /// ``restart(signal:)`` with `extraArguments` instead of the ones given at start (kept on
    /// later restarts), e.g. to start again with another configuration.
    func restart(signal: Int32 = SIGKILL, replacingExtraArguments extraArguments: [String]?) async throws {
        if let extraArguments { arguments = baseArguments + extraArguments }
        let exit = try await process.stop(signal: signal)
        #expect(exit != nil, "mfad did not exit after signal \(signal)")
        await closeClients()
        process = try await MfadProcess(arguments)
        client = try await process.client(credentials: credentials)
    }

    /// Stops the process with `signal` (by default `kill -9`) and closes the connections to it,
    /// without starting it again.
    func stop(signal: Int32 = SIGKILL) async throws {
        let exit = try await process.stop(signal: signal)
        #expect(exit != nil, "mfad did not exit after signal \(signal)")
        await closeClients()
    }

    /// Stops the process if it still runs, closes the connections and removes the directory.
    func shutDown() async {
        await closeClients()
        if process.process.isRunning, (try? await process.stop(signal: SIGTERM, timeout: .seconds(10))) == nil {
            _ = try? await process.stop(signal: SIGKILL)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private func closeClients() async {
        await client.close()
        for extra in extraClients { await extra.close() }
        extraClients = []
    }
}

/// Runs `body` against a fresh `mfad` on a fresh database in a temporary directory, then stops the
/// process and removes the directory, whether `body` succeeded or not.
/// - Parameters:
///   - database: nil for a new SQLite file; else the `--db` of a database that already holds
///     the end-to-end API key (see ``TestMfad/init(_:database:extraArguments:)``).
///   - extraArguments: more flags for `mfad` (e.g. `["--log-level", "trace"]`), kept on restarts.
@discardableResult
func withMfad<T>(_ mode: TestMfad.Mode = .test, database: String? = nil, extraArguments: [String] = [],
                 _ body: (TestMfad) async throws -> T) async throws -> T {
    let mfad = try await TestMfad(mode, database: database, extraArguments: extraArguments)
    return try await shuttingDown([mfad]) { try await body(mfad) }
}

/// Runs `body`, then shuts every one of `processes` down, whether `body` succeeded or not; on a
/// failure each one's log is attached to the test first.
func shuttingDown<T>(_ processes: [TestMfad], _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        for mfad in processes { await mfad.shutDown() }
        return result
    } catch {
        for (index, mfad) in processes.enumerated() {
            let log = mfad.process.log
            await mfad.shutDown()
            Issue.record("mfad \(processes.count > 1 ? "node \(index) " : "")log:\n\(log.suffix(4000))")
        }
        throw error
    }
}
