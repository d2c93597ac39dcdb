import Foundation
import Logging
import MFAPostgresStore

/// A fresh `mfad --test-mode` on its own empty database, for one scenario: started before it,
/// restarted on the same database when the scenario says so, and removed after it.
public final class ConformanceServer {
    /// The flags every scenario starts with.
    public static let defaultArguments = ["--test-mode", "--seed", "1"]
    /// The calling service and API key registered in every scenario's database.
    public static let service = "conformance"
    public static let apiKey = "mfak_conformance-test-key-not-a-secret"

    private let database: ConformanceDatabase
    private let executable: URL?
    private var process: MfadProcess

    /// The current process's port.
    public var port: Int { process.port }
    /// What the current process logged.
    public var log: String { process.log }

    /// Starts a server on a new, empty database.
    /// - Parameters:
    ///   - executable: the `mfad` binary; the one beside this program by default.
    ///   - postgresURL: nil for a temporary SQLite file; else a `postgres://` URL of a server
    ///     on which a scratch database is made for this server (dropped by ``stop()``).
    /// - Throws: ``MfadProcessError`` when the key cannot be registered or `mfad` does not start;
    ///   `PostgresStoreError` when the scratch database cannot be made.
    public init(executable: URL? = nil, postgresURL: String? = nil) async throws {
        self.executable = executable
        database = try await ConformanceDatabase.create(postgresURL: postgresURL)
        do {
            try MfadProcess.createAPIKey(service: Self.service, key: Self.apiKey, database: database.argument,
                                         keyFlags: Self.defaultArguments, executable: executable)
            process = try await MfadProcess(Self.defaultArguments + ["--db", database.argument], executable: executable)
        } catch {
            await database.remove()
            throw error
        }
    }

    /// Stops the server (SIGTERM) and starts it again on the same database with `--test-mode`
    /// and `arguments` (e.g. `["--seed", "2"]`).
    /// - Throws: ``MfadProcessError/didNotStart(log:)`` when the new process does not start.
    public func restart(_ arguments: [String]) async throws {
        _ = try await process.stop()
        process = try await MfadProcess(["--test-mode"] + arguments + ["--db", database.argument], executable: executable)
    }

    /// Stops the server and checks that `mfad --test-mode` with `arguments` refuses to start on
    /// the same database; ``restart(_:)`` starts it again afterwards.
    /// - Returns: what the refused process logged.
    /// - Throws: ``RefusedStartError`` when it started after all.
    @discardableResult
    public func expectRefusedStart(_ arguments: [String]) async throws -> String {
        _ = try await process.stop()
        do {
            let started = try await MfadProcess(["--test-mode"] + arguments + ["--db", database.argument], executable: executable)
            _ = try? await started.stop()
            throw RefusedStartError(arguments: arguments)
        } catch MfadProcessError.didNotStart(let log) {
            return log
        }
    }

    /// Stops the server and removes its database.
    public func stop() async {
        _ = try? await process.stop()
        await database.remove()
    }
}

/// The empty database one ``ConformanceServer`` runs on: a SQLite file in a temporary folder,
/// or a scratch database on a PostgreSQL server.
enum ConformanceDatabase {
    case sqlite(folder: URL)
    case postgres(PostgresScratchDatabase)

    /// postgres-nio logs at debug and trace; the replay prints its own results.
    private static let logger = Logger(label: "mfa.conformance", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A new, empty database: PostgreSQL on the server of `postgresURL` when given, else SQLite.
    static func create(postgresURL: String?) async throws -> ConformanceDatabase {
        if let postgresURL {
            return .postgres(try await PostgresScratchDatabase.create(url: postgresURL, prefix: "mfa_conformance", logger: logger))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mfa-conformance-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return .sqlite(folder: folder)
    }

    /// What `mfad --db` is given (a PostgreSQL URL includes its password: for child processes only).
    var argument: String {
        switch self {
        case .sqlite(let folder): return folder.appendingPathComponent("mfa.sqlite").path
        case .postgres(let scratch): return scratch.url
        }
    }

    /// Deletes the database (the folder, or DROP DATABASE); a failure leaves it behind, unreported.
    func remove() async {
        switch self {
        case .sqlite(let folder): try? FileManager.default.removeItem(at: folder)
        case .postgres(let scratch): try? await scratch.drop(logger: Self.logger)
        }
    }
}

/// `mfad` started with flags it should have refused.
public struct RefusedStartError: Error, CustomStringConvertible {
    public let arguments: [String]
    public var description: String { "mfad started with \(arguments.joined(separator: " ")) on the database, expected a refusal" }
}
