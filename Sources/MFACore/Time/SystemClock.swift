import Foundation

/// The real wall clock (UTC), truncated to whole seconds.
public struct SystemClock: Clock {
    /// Creates the system clock.
    public init() {}

    /// The current wall-clock time, rounded down to the second.
    /// - Returns: The current time.
    public func now() -> Timestamp {
        Timestamp(unixSeconds: Int64(Date().timeIntervalSince1970.rounded(.down)))
    }
}
