import Foundation

/// A fresh `mfad --test-mode` on its own temporary database, for one scenario: started before
/// it, restarted when the scenario says so, removed after it.
public final class ConformanceServer {
    /// The flags every scenario starts with.
    public static let defaultArguments = ["--test-mode", "--seed", "1"]
    /// The calling service and API key registered in every scenario's database.
    public static let service = "conformance"
    public static let apiKey = "mfak_conformance-test-key-not-a-secret"

    private let directory: URL
    private let executable: URL?
    private var process: MfadProcess

    /// The current process's port.
    public var port: Int { process.port }
    /// What the current process logged.
    public var log: String { process.log }

    /// Starts a server on a new, empty database.
    /// - Parameter executable: the `mfad` binary; the one beside this program by default.
    public init(executable: URL? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfa-conformance-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.executable = executable
        let database = directory.appendingPathComponent("mfa.sqlite").path
        try MfadProcess.createAPIKey(service: Self.service, key: Self.apiKey, database: database,
                                     keyFlags: Self.defaultArguments, executable: executable)
        process = try await MfadProcess(Self.defaultArguments + ["--db", database], executable: executable)
    }

    /// Stops the server (SIGTERM) and starts it again on the same database with `--test-mode`
    /// and `arguments` (e.g. `["--seed", "2"]`).
    public func restart(_ arguments: [String]) async throws {
        _ = try await process.stop()
        process = try await MfadProcess(["--test-mode"] + arguments + ["--db", directory.appendingPathComponent("mfa.sqlite").path],
                                        executable: executable)
    }

    /// Stops the server and removes its database.
    public func stop() async {
        _ = try? await process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
