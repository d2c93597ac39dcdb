import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MFAClient
import MFACore
import MFAWire

/// Counts checks; prints each failure as it happens.
final class Checks: @unchecked Sendable {
    private let lock = NSLock()
    private var passedCount = 0
    private var failures: [String] = []
    /// A label for the phase the failures belong to (e.g. "round 3 after restart").
    private var phase = "setup"

    var passed: Int { lock.withLock { passedCount } }
    var failed: Int { lock.withLock { failures.count } }

    func setPhase(_ phase: String) {
        lock.withLock { self.phase = phase }
    }

    /// Counts one check: passed when `condition` holds, else a failure described by `message`.
    @discardableResult
    func check(_ condition: Bool, _ message: @autoclosure () -> String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if condition {
            passedCount += 1
        } else {
            let line = "FAIL [\(phase)] \(message())"
            failures.append(line)
            say(line)
        }
        return condition
    }

    /// Records a failure.
    func fail(_ message: String) {
        check(false, message)
    }
}

/// Repeatable choices for the load, from MFACore's SplitMix64, so that a run can be repeated
/// from its printed seed (timing still varies: where the kill lands depends on the machine).
extension SplitMix64 {
    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}

/// The result of one call: an answer (success or a server error), or no answer at all because the
/// connection went away (the call may or may not have taken effect).
enum CallResult<T> {
    case success(T)
    case serverError(MFAClientError)
    case lost(MFAClientError)

    var value: T? {
        if case .success(let value) = self { return value }
        return nil
    }
}

extension MFAClientError {
    var fields: MFAClientErrorFields {
        MFAClientErrorFields(code: code, message: message, attemptsRemaining: attemptsRemaining, retryAfterSeconds: retryAfterSeconds)
    }
}

extension CallResult: Sendable where T: Sendable {}

/// Writes a line to standard output at once (unbuffered: the output of a killed or timed-out
/// run still shows how far it got).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Runs `body` and sorts its outcome.
func perform<T>(_ body: () async throws(MFAClientError) -> T) async -> CallResult<T> {
    do {
        return .success(try await body())
    } catch {
        if error.isServerError { return .serverError(error) }
        return .lost(error)
    }
}

/// Set by the driver just before it sends SIGKILL, so that a lost connection before that moment
/// is reported as a failure (mfad must not drop connections by itself).
/// It also counts the calls that change state (code checks, logouts) in flight, so that some
/// kills can be aimed at a moment when one is.
final class KillSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var killed = false
    private var writes = 0

    var isKilled: Bool { lock.withLock { killed } }
    var writesInFlight: Int { lock.withLock { writes } }

    func markKilled() { lock.withLock { killed = true } }
    func beginWrite() { lock.withLock { writes += 1 } }
    func endWrite() { lock.withLock { writes -= 1 } }
}

/// `PRAGMA integrity_check` with Debian's `sqlite3` command-line shell.
enum Integrity {
    /// Copies the database and its WAL (taken while no process has the file open) to a scratch
    /// folder, so the check's own WAL recovery never touches the file mfad restarts on, and runs
    /// `PRAGMA integrity_check` on the copy.
    /// - Returns: the shell's output, trimmed (`ok` when the file is sound).
    static func checkCopy(of database: URL, scratch: URL) throws -> String {
        let fileManager = FileManager.default
        try? fileManager.removeItem(at: scratch)
        try fileManager.createDirectory(at: scratch, withIntermediateDirectories: true)
        let copy = scratch.appendingPathComponent("copy.sqlite")
        try fileManager.copyItem(at: database, to: copy)
        let wal = URL(fileURLWithPath: database.path + "-wal")
        if fileManager.fileExists(atPath: wal.path) {
            try fileManager.copyItem(at: wal, to: URL(fileURLWithPath: copy.path + "-wal"))
        }
        defer { try? fileManager.removeItem(at: scratch) }
        return try run(database: copy)
    }

    /// Runs `PRAGMA integrity_check` on `database` itself.
    static func run(database: URL) throws -> String {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = [database.path, "PRAGMA integrity_check;"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "the sqlite3 command-line shell is not installed (Debian: apt-get install sqlite3; scripts/install-deps does it)" }
    }

    private static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/local/bin"] where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent("sqlite3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Missing()
    }
}

/// Ends the run if it overstays its time limit by a minute (a call or a start that hangs inside a
/// round): kills the current mfad, says so, and exits with status 2.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: Int32 = 0

    /// The mfad process to kill if the watchdog fires.
    func watch(pid: Int32) { lock.withLock { self.pid = pid } }

    func start(after seconds: Int) {
        Task.detached { [self] in
            try? await Task.sleep(for: .seconds(seconds))
            let pid = lock.withLock { self.pid }
            if pid > 0 { kill(pid, SIGKILL) }
            say("crash test: watchdog: still running after \(seconds) s; stopped")
            say("crash-test: 0 passed, 1 failed")
            exit(2)
        }
    }
}
