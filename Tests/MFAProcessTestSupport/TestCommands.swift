import Foundation

/// Why a test could not go on; the test fails with this message.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}

/// Runs a command to its end and returns its standard output.
/// - Parameters:
///   - arguments: The command (looked up on PATH) and its arguments.
///   - timeout: How long it may run before it is stopped and the test fails.
/// - Returns: What it wrote on standard output.
/// - Throws: ``TestFailure`` with its standard error when it exits with a status other than 0.
@discardableResult
public func runCommand(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> Data {
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

/// A fresh temporary directory, removed by the caller.
/// - Returns: Its URL.
/// - Throws: The file system's error when it cannot be created.
public func makeTemporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    return directory
}

/// Decodes JSON into a dictionary.
/// - Returns: The object.
/// - Throws: ``TestFailure`` when `data` is not a JSON object.
public func jsonObject(_ data: Data) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestFailure(description: "not a JSON object: \(String(decoding: data, as: UTF8.self))")
    }
    return object
}

/// Polls `condition` every few milliseconds until it holds.
/// - Parameters:
///   - what: The condition in words, for the failure message.
///   - timeout: How long to wait.
/// - Throws: ``TestFailure`` after `timeout`, or what `condition` throws.
public func waitUntil(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            throw TestFailure(description: "timed out waiting until \(what)")
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
