import Foundation
import Testing

import MFAStore

/// A fresh temporary directory for one test, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("mfastore-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// A database file path in a fresh temporary directory, for one test.
func withTemporaryDatabasePath<T>(_ body: (String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        try await body(directory.appendingPathComponent("test.sqlite").path)
    }
}

/// Polls `condition` until it holds; records an issue and throws after `timeout`.
func waitUntil(
    timeout: Duration = .seconds(20),
    _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while !condition() {
        if clock.now > deadline {
            Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
            throw TestFailure(message: "timed out waiting until \(what)")
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}

struct TestFailure: Error, Equatable {
    var message = "deliberate failure"
}

/// Holds the writer thread inside a job until the test opens it, so that the jobs queued meanwhile
/// form one known batch.
final class WriterGate: @unchecked Sendable {
    // @unchecked Sendable: `entered` and `opened` are only touched while holding `condition`.
    private let condition = NSCondition()
    private var entered = false
    private var opened = false

    /// Called on the writer thread: marks the gate entered and blocks until it is opened.
    func enterAndWait() {
        condition.lock()
        entered = true
        condition.broadcast()
        while !opened {
            condition.wait()
        }
        condition.unlock()
    }

    var hasEntered: Bool {
        condition.lock()
        defer { condition.unlock() }
        return entered
    }

    func open() {
        condition.lock()
        opened = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Expects `body` to throw an `SQLiteError` of `kind`, and returns it for further checks.
@discardableResult
func expectSQLiteError<T>(
    _ kind: SQLiteError.Kind,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> SQLiteError? {
    do {
        let value = try await body()
        Issue.record("expected an SQLiteError of kind \(kind), got the value \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as SQLiteError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected an SQLiteError of kind \(kind), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
