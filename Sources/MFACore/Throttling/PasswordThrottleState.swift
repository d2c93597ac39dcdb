/// The wrong-password counter for one login key (the normalized email, whether or not an
/// account exists for it). Changed only through ``PasswordThrottle``.
public struct PasswordThrottleState: Sendable, Hashable, Codable {
    /// Times of the wrong passwords still inside the window, oldest first (at most `maxFailures`).
    public var failureTimes: [Timestamp]
    /// The end of the current lock, if one was set (it may lie in the past).
    public var lockedUntil: Timestamp?

    /// Creates a state; the default has no failures.
    /// - Parameters:
    ///   - failureTimes: Recent failures, oldest first.
    ///   - lockedUntil: The end of the current lock.
    public init(failureTimes: [Timestamp] = [], lockedUntil: Timestamp? = nil) {
        self.failureTimes = failureTimes
        self.lockedUntil = lockedUntil
    }
}
