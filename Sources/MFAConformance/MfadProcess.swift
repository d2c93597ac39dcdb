import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real `mfad` executable, started on a free loopback port, for end-to-end tests and for
/// recording and replaying conformance exchanges.
public final class MfadProcess {
    /// The running process.
    public private(set) var process = Process()
    /// The loopback port it listens on.
    public private(set) var port = 0
    /// Everything the process wrote to stderr so far (drained continuously, so a chatty server
    /// never blocks on a full pipe).
    private var collectedLog = LogBuffer()

    /// What the process logged so far.
    public var log: String { collectedLog.text }

    /// The folder holding the executables `swift build` produced next to this test bundle.
    public static var buildDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// Starts `mfad` with `arguments` (plus `--host`/`--port`) and waits until it accepts connections.
    ///
    /// The free port is picked before mfad binds it, so a process started at the same moment may
    /// take it: the process only counts as started once its own log says it is listening (logged
    /// at notice: any `--log-level` up to notice), and one that finds its port taken is started
    /// again on another.
    /// - Parameters:
    ///   - arguments: the flags, e.g. `["--test-mode", "--db", path]`.
    ///   - executable: the `mfad` binary; by default the one beside the running executable
    ///     (`swift build` puts every product, and the test bundle, in one folder).
    ///   - environment: variables added to this process's environment for mfad (e.g. secrets).
    public init(_ arguments: [String], executable: URL? = nil, environment: [String: String] = [:]) async throws {
        for attempt in 1...3 {
            port = try Self.freePort()
            process = Process()
            collectedLog = LogBuffer()
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            }
            process.executableURL = executable ?? Self.buildDirectory.appendingPathComponent("mfad")
            process.arguments = arguments + ["--host", "127.0.0.1", "--port", "\(port)"]
            let stderr = Pipe()
            process.standardError = stderr
            process.standardOutput = FileHandle.nullDevice
            let buffer = collectedLog
            stderr.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil  // end of file: the process closed stderr
                } else {
                    buffer.append(data)
                }
            }
            try process.run()
            if try await waitUntilListening() { return }
            if attempt < 3, log.contains("Address already in use") { continue }
            break
        }
        throw MfadProcessError.didNotStart(log: log)
    }

    /// Waits (up to 60 s) until this process logged that it listens and accepts a connection.
    /// - Returns: false when it exited or did not get there in time (then it is stopped).
    private func waitUntilListening() async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if log.contains("listening"), (try? FrameConnection(port: port, timeoutSeconds: 1)) != nil {
                return true
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        _ = try? await waitForExit(timeout: .seconds(5))
        try? await Task.sleep(for: .milliseconds(100))  // let the reader collect the last lines
        return false
    }


    /// Runs `mfad` with `arguments` to completion (e.g. `keys create ...`).
    /// - Returns: the exit status, what it printed on standard output, and on standard error
    ///   (kept in a temporary file, so a chatty error output never blocks the process).
    public static func runCommand(_ arguments: [String], executable: URL? = nil)
        throws -> (status: Int32, output: String, errorOutput: String) {
        let process = Process()
        process.executableURL = executable ?? buildDirectory.appendingPathComponent("mfad")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-command-\(UUID()).stderr")
        try Data().write(to: errorFile)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errors = try FileHandle(forWritingTo: errorFile)
        defer { try? errors.close() }
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorOutput = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), errorOutput)
    }

    /// Registers `key` for `service` in the database at `database`, with the flags that find its
    /// master key (e.g. `["--test-mode", "--seed", "1"]`).
    /// - Throws: `MfadProcessError.commandFailed` when `mfad keys create` fails.
    public static func createAPIKey(service: String, key: String, database: String, keyFlags: [String],
                                    executable: URL? = nil) throws {
        let result = try runCommand(["keys", "create", service, "--key", key, "--db", database] + keyFlags, executable: executable)
        guard result.status == 0 else { throw MfadProcessError.commandFailed(status: result.status, errorOutput: result.errorOutput) }
    }

    /// Sends `signal` and waits for the exit.
    /// - Returns: the exit status, or nil when the process did not exit within `timeout`.
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(45)) async throws -> Int32? {
        kill(process.processIdentifier, signal)
        return try await waitForExit(timeout: timeout)
    }

    /// Waits for the process to exit.
    /// - Returns: the exit status, or nil when the process did not exit within `timeout`.
    public func waitForExit(timeout: Duration = .seconds(45)) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// A port nothing listens on right now: bind port 0, read it back, release it.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw MfadProcessError.noFreePort }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Bytes appended from the stderr reader thread and read from tests.
final class LogBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()

    func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        bytes.append(data)
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why `mfad` could not be started.
public enum MfadProcessError: Error {
    /// The command exited with `status`; `errorOutput` is what it printed on standard error.
    case commandFailed(status: Int32, errorOutput: String)
    case didNotStart(log: String)
    case noFreePort
}
