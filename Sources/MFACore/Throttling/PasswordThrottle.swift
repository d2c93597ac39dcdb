/// Wrong-password throttling (SPEC 2, Login): by default 10 wrong passwords within 15 minutes
/// lock password logins for that login key for 15 minutes.
///
/// Sliding window: a failure counts while `now - failedAt < windowSeconds`. (A fixed window
/// would let `2 * maxFailures - 2` guesses through around a window boundary.) The failure that
/// reaches `maxFailures` starts a lock of `lockSeconds`, which lifts at exactly
/// `lockedAt + lockSeconds`, and clears the failures: counting starts afresh after the lock.
/// A correct password clears the failures.
///
/// The caller keys the state by normalized email (``EmailAddress/normalizedKey(_:)``), for
/// unknown emails too, so that throttling does not reveal which accounts exist. While locked the
/// caller must not check the password at all: a correct password gets the locked answer too.
/// This counter is separate from the wrong-code counter of ``LockoutPolicy``.
public struct PasswordThrottle: Sendable, Hashable {
    /// Wrong passwords within the window that lock (default 10).
    public var maxFailures: Int
    /// The sliding window, in seconds (default 900).
    public var windowSeconds: Int64
    /// How long password logins stay locked, in seconds (default 900).
    public var lockSeconds: Int64

    /// Creates a throttle; the defaults are the spec's.
    /// - Parameters:
    ///   - maxFailures: Wrong passwords within the window that lock (at least 1).
    ///   - windowSeconds: The window (at least 1).
    ///   - lockSeconds: The lock length (at least 1).
    public init(maxFailures: Int = 10, windowSeconds: Int64 = 15 * Durations.minute, lockSeconds: Int64 = 15 * Durations.minute) {
        self.maxFailures = maxFailures
        self.windowSeconds = windowSeconds
        self.lockSeconds = lockSeconds
    }

    /// Whether a password may be checked.
    public enum Gate: Sendable, Hashable {
        /// Check it; `failuresRemaining` more wrong passwords (including this one) lock.
        case open(failuresRemaining: Int)
        /// Do not check it; answer locked with `retryAfterSeconds` (at least 1).
        case locked(retryAfterSeconds: Int64)
    }

    /// What a wrong password led to.
    public enum FailureOutcome: Sendable, Hashable {
        /// Counted; not locked yet.
        case invalid(failuresRemaining: Int)
        /// This failure locked password logins.
        case lockedNow(retryAfterSeconds: Int64)
        /// Already locked: nothing counted.
        case alreadyLocked(retryAfterSeconds: Int64)
    }

    /// Tells whether a password may be checked at `now`.
    /// - Parameters:
    ///   - state: The stored state for the login key.
    ///   - now: The current time.
    /// - Returns: The gate.
    public func evaluate(_ state: PasswordThrottleState, now: Timestamp) -> Gate {
        if let until = state.lockedUntil, now < until {
            return .locked(retryAfterSeconds: max(1, until.seconds(since: now)))
        }
        return .open(failuresRemaining: max(1, maxFailures - failuresInWindow(state.failureTimes, now: now).count))
    }

    /// Records a wrong password (or an unknown email).
    /// - Parameters:
    ///   - state: The stored state for the login key.
    ///   - now: The current time.
    /// - Returns: The state to store and the outcome.
    public func recordFailure(_ state: PasswordThrottleState, now: Timestamp) -> (state: PasswordThrottleState, outcome: FailureOutcome) {
        if case .locked(let retryAfter) = evaluate(state, now: now) {
            return (state, .alreadyLocked(retryAfterSeconds: retryAfter))
        }
        var failures = failuresInWindow(state.failureTimes, now: now)
        failures.append(now)
        if failures.count >= maxFailures {
            return (
                PasswordThrottleState(failureTimes: [], lockedUntil: now.adding(seconds: lockSeconds)),
                .lockedNow(retryAfterSeconds: lockSeconds)
            )
        }
        return (PasswordThrottleState(failureTimes: failures, lockedUntil: nil), .invalid(failuresRemaining: maxFailures - failures.count))
    }

    /// Records a correct password: clears the failures (never called while locked).
    /// - Parameter state: The stored state for the login key.
    /// - Returns: The state to store.
    public func recordSuccess(_ state: PasswordThrottleState) -> PasswordThrottleState {
        PasswordThrottleState(failureTimes: [], lockedUntil: state.lockedUntil)
    }

    /// The message for a locked answer.
    public var lockedMessage: String {
        UserMessages.passwordLoginsLocked(lockSeconds: lockSeconds)
    }

    private func failuresInWindow(_ times: [Timestamp], now: Timestamp) -> [Timestamp] {
        times.filter { now.seconds(since: $0) < windowSeconds }
    }
}
