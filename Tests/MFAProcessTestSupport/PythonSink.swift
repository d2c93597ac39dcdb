import Foundation

/// The helper scripts of this folder's `Fixtures` (SMTP and HTTP sinks, an email parser).
public enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// The path of the fixture script `name`.
    public static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
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
/// - Throws: ``TestFailure`` with the install hint.
public func requirePython(module: String? = nil) async throws {
    do {
        try await PythonCheck.shared.require(module ?? "")
    } catch {
        throw TestFailure(description: "The tests need python3\(module.map { " with the module \($0)" } ?? ""): run scripts/install-deps "
            + "(or: python3 -m pip install aiosmtpd). \(error)")
    }
}

/// A fixture server (`smtp_sink.py`, `http_sink.py`) run as a child process on loopback. It
/// writes what it receives to its directory and its port to `port` once listening.
public final class PythonSink {
    /// Where it writes what it receives.
    public let directory: URL
    /// The loopback port it listens on.
    public let port: Int
    private let child: ChildProcess

    private init(directory: URL, port: Int, child: ChildProcess) {
        self.directory = directory
        self.port = port
        self.child = child
    }

    /// Starts `script` with the output directory as first argument, and waits until it listens.
    /// - Parameters:
    ///   - script: A file name in ``Fixtures``.
    ///   - arguments: More arguments for the script.
    ///   - module: A python3 module the script needs (checked first, with an install hint).
    /// - Returns: The running sink; ``stop()`` it when done.
    /// - Throws: ``TestFailure`` when python3 or the module is missing or the script does not start.
    public static func start(_ script: String, arguments: [String] = [], module: String? = nil) async throws -> PythonSink {
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
    public func received(_ suffix: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasSuffix("." + suffix), let number = Int(name.dropLast(suffix.count + 1)) else { return nil }
            return (number, directory.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// What the server logged (for failure messages).
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    /// Stops the server and removes its directory.
    public func stop() async {
        await child.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fixture server, stopped afterwards whatever `body` does.
/// - Returns: What `body` returns.
/// - Throws: What ``PythonSink/start(_:arguments:module:)`` or `body` throws.
public func withPythonSink<T>(_ script: String, arguments: [String] = [], module: String? = nil,
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
