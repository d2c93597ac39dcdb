import Foundation

/// A value behind one lock, so that a `final class` can share mutable state across threads.
///
/// `@unchecked Sendable` because the compiler cannot see that `value` is only touched while
/// `lock` is held; every access goes through ``withLock(_:)``, which makes that true.
/// (`Synchronization.Mutex` would say this without `@unchecked`, but it needs macOS 15 and the
/// package declares macOS 14.)
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
