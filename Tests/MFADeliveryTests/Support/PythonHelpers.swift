import Foundation
import Testing

/// Why a test could not go on; the test fails with this message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
}

/// The helper scripts beside the tests.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

/// Runs a command to its end and returns its standard output (standard error goes to the
/// returned text too when it fails).
@discardableResult
func runCommand(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestFailure(description: "\(arguments.joined(separator: " ")) exited with \(process.terminationStatus): "
            + String(decoding: errorData, as: UTF8.self))
    }
    return data
}

/// Fails (never skips) when python3 or one of its modules is missing, with the command that
/// installs it.
func requirePython(module: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let check = module.map { "import \($0)" } ?? "pass"
    do {
        try runCommand(["python3", "-c", check])
    } catch {
        let hint = "The delivery tests need python3\(module.map { " with the module \($0)" } ?? ""): run scripts/install-deps "
            + "(or: python3 -m pip install aiosmtpd). \(error)"
        Issue.record(Comment(rawValue: hint), sourceLocation: sourceLocation)
        throw TestFailure(description: hint)
    }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-delivery-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    return directory
}

/// A fixture server (`smtp_sink.py`, `http_sink.py`) run as a child process on loopback. It
/// writes what it receives to its directory and its port to `port` once listening.
final class PythonSink {
    let directory: URL
    let port: Int
    private let process: Process

    private init(directory: URL, port: Int, process: Process) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    /// Starts `script` with the output directory as first argument, and waits until it listens.
    static func start(_ script: String, arguments: [String] = [], module: String? = nil) async throws -> PythonSink {
        try requirePython(module: module)
        let directory = try makeTemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.path(script), directory.path] + arguments
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        let portFile = directory.appendingPathComponent("port")
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return PythonSink(directory: directory, port: port, process: process)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: directory)
        throw TestFailure(description: "\(script) did not start: \(output)")
    }

    /// The files named `N.<suffix>` written so far, in order.
    func received(_ suffix: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasSuffix("." + suffix), let number = Int(name.dropLast(suffix.count + 1)) else { return nil }
            return (number, directory.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// What the server logged (for failure messages).
    var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    /// Stops the server and removes its directory.
    func stop() {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline {
            usleep(10_000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Decodes JSON into a dictionary.
func jsonObject(_ data: Data) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestFailure(description: "not a JSON object: \(String(decoding: data, as: UTF8.self))")
    }
    return object
}
