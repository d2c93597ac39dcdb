/// A clock that only moves when told to: test mode (`AdvanceClock`) and unit tests.
///
/// Time never goes backwards: a negative advance is refused.
public final class ManualClock: Clock {
    /// The current time, behind one lock: `advance` may run on one thread while request handlers
    /// read `now()` on others.
    private let current: Locked<Timestamp>

    /// Creates a manual clock.
    /// - Parameter start: The initial time; defaults to ``Timestamp/testModeStart`` (2026-01-01T00:00:00Z).
    public init(start: Timestamp = .testModeStart) {
        current = Locked(start)
    }

    /// The current manual time.
    /// - Returns: The time last set.
    public func now() -> Timestamp {
        current.withLock { $0 }
    }

    /// Moves the clock forward.
    /// - Parameter seconds: How far to move; 0 is allowed and changes nothing.
    /// - Returns: The new time.
    /// - Throws: ``ManualClockError/negativeAdvance(seconds:)`` when `seconds` is negative
    ///   (the clock is left unchanged).
    @discardableResult
    public func advance(bySeconds seconds: Int64) throws(ManualClockError) -> Timestamp {
        guard seconds >= 0 else { throw .negativeAdvance(seconds: seconds) }
        return current.withLock { now in
            now = now.adding(seconds: seconds)
            return now
        }
    }

    /// Moves the clock forward to `time`; a time at or before the current one changes nothing.
    /// - Parameter time: The time to move to.
    public func advance(to time: Timestamp) {
        current.withLock { now in now = max(now, time) }
    }
}

/// Why a ``ManualClock`` refused to move.
public enum ManualClockError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The clock only moves forward.
    case negativeAdvance(seconds: Int64)

    public var description: String {
        switch self {
        case .negativeAdvance(let seconds):
            return "The test clock only moves forward; advance by \(seconds) s refused (use 0 or more)."
        }
    }
}
