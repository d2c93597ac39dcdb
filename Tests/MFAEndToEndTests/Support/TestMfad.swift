import MFAConformance
import Foundation
import MFAClient
import MFAStore
import MFAWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One `mfad` for one test: its own temporary directory and database, and a connected client.
///
/// Use it through ``withMfad(_:_:)``, which stops the process and removes the directory.
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
            return try SQLiteMFAStorage.outboxMessages(atPath: databasePath).map { message in
                OutboxMessage(id: UInt64(message.id), to: message.recipient, channel: message.channel, subject: message.subject,
                              body: message.body, code: message.code, linkToken: message.linkToken,
                              createdUnix: message.createdAt.unixSeconds, state: message.state.rawValue)
            }
        }
    }

    fileprivate init(_ mode: Mode) async throws {
        self.mode = mode
        self.credentials = mode == .test ? .endToEnd : nil
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = ["--db", directory.appendingPathComponent("mfa.sqlite").path]
        do {
            switch mode {
            case .test:
                arguments = ["--test-mode", "--seed", "1"] + database
                try MfadProcess.createAPIKey(service: MFAClient.Credentials.endToEnd.service,
                                             key: MFAClient.Credentials.endToEnd.apiKey,
                                             database: directory.appendingPathComponent("mfa.sqlite").path,
                                             keyFlags: ["--test-mode", "--seed", "1"])
                process = try await MfadProcess(arguments)
            case .outsideTestMode:
                arguments = ["--dev"] + database
                process = try await MfadProcess(arguments)
            }
            client = try await process.client(credentials: credentials)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
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
        let exit = try await process.stop(signal: signal)
        #expect(exit != nil, "mfad did not exit after signal \(signal)")
        await closeClients()
        process = try await MfadProcess(arguments)
        client = try await process.client(credentials: credentials)
    }

    fileprivate func shutDown() async {
        await closeClients()
        if (try? await process.stop(signal: SIGTERM, timeout: .seconds(10))) == nil {
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
@discardableResult
func withMfad<T>(_ mode: TestMfad.Mode = .test, _ body: (TestMfad) async throws -> T) async throws -> T {
    let mfad = try await TestMfad(mode)
    do {
        let result = try await body(mfad)
        await mfad.shutDown()
        return result
    } catch {
        let log = mfad.process.log
        await mfad.shutDown()
        Issue.record("mfad log:\n\(log.suffix(4000))")
        throw error
    }
}
