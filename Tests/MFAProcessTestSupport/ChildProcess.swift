import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawnp` instead of Foundation's `Process`, whose Linux
/// implementation has file-descriptor races under concurrency (a double close can hit a socket
/// another test just opened). The child gets every signal unblocked and at its default action
/// (a Swift test's threads block most signals, and a child inherits that mask), no descriptor
/// of the test process but its standard streams, and its output in files: no pipes.
public final class ChildProcess {
    /// The child's process id.
    public let pid: pid_t
    private var status: Int32?

    /// - Parameters:
    ///   - arguments: The command (looked up on PATH) and its arguments.
    ///   - output: The file that receives standard output (created or truncated).
    ///   - errors: The file that receives standard error; nil: the same as `output`.
    /// - Throws: ``TestFailure`` when the command cannot be started.
    public init(_ arguments: [String], output: String, errors: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let errors {
            posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        // Atomically, in the child: nothing of the test process leaks into it.
        guard Self.addCloseFrom(&actions, 3) == 0 else {
            throw TestFailure(description: "posix_spawn_file_actions_addclosefrom_np failed")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw TestFailure(description: "cannot start \(arguments[0]): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not import; looked up at run time with its C signature.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("glibc 2.34 or later is needed (posix_spawn_file_actions_addclosefrom_np)")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            _ = waitpid(pid, &raw, 0)
        }
    }

    /// The exit status once the child has exited (128 + n when killed by signal n); nil before.
    public var exitStatus: Int32? {
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        let signal = raw & 0x7F
        status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
        return status
    }

    /// Whether the child has not exited yet.
    public var isRunning: Bool { exitStatus == nil }

    /// Waits for the exit without blocking a thread.
    /// - Returns: The exit status, or nil after `timeout`.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let exitStatus { return exitStatus }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Sends SIGTERM, then SIGKILL if it is still running after `grace`, and reaps the child.
    public func stop(grace: Duration = .seconds(5)) async {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        if (try? await waitForExit(timeout: grace)) ?? nil == nil {
            kill(pid, SIGKILL)
            _ = try? await waitForExit(timeout: .seconds(10))
        }
    }
}
