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

/// Runs a command to its end and returns its standard output.
/// - Throws: `TestFailure` with its standard error when it exits with a status other than 0.
@discardableResult
func runCommand(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> Data {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("stdout").path
    let errors = directory.appendingPathComponent("stderr").path
    let child = try ChildProcess(arguments, output: output, errors: errors)
    guard let status = try await child.waitForExit(timeout: timeout) else {
        await child.stop()
        throw TestFailure(description: "\(arguments.joined(separator: " ")) did not finish within \(timeout)")
    }
    guard status == 0 else {
        let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        throw TestFailure(description: "\(arguments.joined(separator: " ")) exited with \(status): \(message)")
    }
    return try Data(contentsOf: URL(fileURLWithPath: output))
}

/// Which python3 modules were found importable (checked once per module per test run).
private actor PythonCheck {
    static let shared = PythonCheck()
    private var available: Set<String> = []

    func require(_ module: String) async throws {
        guard !available.contains(module) else { return }
        try await runCommand(["python3", "-c", module.isEmpty ? "pass" : "import \(module)"])
        available.insert(module)
    }
}

/// Fails (never skips) when python3 or one of its modules is missing, with the command that
/// installs it.
func requirePython(module: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    do {
        try await PythonCheck.shared.require(module ?? "")
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
    private let child: ChildProcess

    private init(directory: URL, port: Int, child: ChildProcess) {
        self.directory = directory
        self.port = port
        self.child = child
    }

    /// Starts `script` with the output directory as first argument, and waits until it listens.
    static func start(_ script: String, arguments: [String] = [], module: String? = nil) async throws -> PythonSink {
        try await requirePython(module: module)
        let directory = try makeTemporaryDirectory()
        let log = directory.appendingPathComponent("server.log").path
        let child = try ChildProcess(["python3", Fixtures.path(script), directory.path] + arguments, output: log)
        let portFile = directory.appendingPathComponent("port")
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return PythonSink(directory: directory, port: port, child: child)
            }
            if !child.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        await child.stop()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
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
    func stop() async {
        await child.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fixture server, stopped afterwards whatever `body` does.
func withPythonSink<T>(_ script: String, arguments: [String] = [], module: String? = nil,
                       _ body: (PythonSink) async throws -> T) async throws -> T {
    let sink = try await PythonSink.start(script, arguments: arguments, module: module)
    do {
        let result = try await body(sink)
        await sink.stop()
        return result
    } catch {
        await sink.stop()
        throw error
    }
}

/// Decodes JSON into a dictionary.
func jsonObject(_ data: Data) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestFailure(description: "not a JSON object: \(String(decoding: data, as: UTF8.self))")
    }
    return object
}
