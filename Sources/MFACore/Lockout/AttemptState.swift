/// The wrong-code counter of one account (SPEC 2.3), shared by every method and challenge.
///
/// Stored by the service with the account and changed only through ``LockoutPolicy`` inside the
/// write transaction that checks the code.
public struct AttemptState: Sendable, Hashable, Codable {
    /// Wrong codes since the last success or the last lock.
    public var consecutiveFailures: Int
    /// The end of the current timed lock, if one was set (it may lie in the past).
    public var lockedUntil: Timestamp?
    /// When the account was locked, oldest first; only locks inside the escalation window are kept.
    public var recentLocks: [Timestamp]
    /// Locked until support unlocks it (escalation).
    public var lockedUntilSupport: Bool

    /// Creates a state; the default is a fresh account.
    /// - Parameters:
    ///   - consecutiveFailures: Wrong codes since the last success or lock.
    ///   - lockedUntil: The end of the current timed lock.
    ///   - recentLocks: The times of recent locks, oldest first.
    ///   - lockedUntilSupport: Whether only support can unlock.
    public init(
        consecutiveFailures: Int = 0,
        lockedUntil: Timestamp? = nil,
        recentLocks: [Timestamp] = [],
        lockedUntilSupport: Bool = false
    ) {
        self.consecutiveFailures = consecutiveFailures
        self.lockedUntil = lockedUntil
        self.recentLocks = recentLocks
        self.lockedUntilSupport = lockedUntilSupport
    }
}
