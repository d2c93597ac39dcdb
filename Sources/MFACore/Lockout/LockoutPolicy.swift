/// Wrong-code lockout for the second factor (SPEC 2.3).
///
/// - `maxAttempts` consecutive wrong codes (default 3) lock the account's MFA for
///   `lockSeconds` (default 300). The lock lifts at exactly `lockedAt + lockSeconds`.
/// - A lock resets the consecutive counter; the lock itself is remembered. The lock that is the
///   `locksBeforeEscalation`-th (default 3) within `escalationWindowSeconds` (default 24 h)
///   lasts until support unlocks the account. So the end of a timed lock never resets the daily
///   budget: at most `maxAttempts * locksBeforeEscalation` (9) wrong codes in any 24 h.
/// - A lock counts as "within the window" while `now - lockedAt < escalationWindowSeconds`.
/// - A correct code resets the consecutive counter only.
///
/// Every function is pure. The caller runs, in one write transaction: ``evaluate(_:now:)``;
/// if locked, answer `LOCKED` without looking at the code (a correct code gets the same answer
/// as a wrong one); otherwise check the code and store the result of
/// ``recordFailure(_:now:)`` or ``recordSuccess(_:)``. Serialising those transactions is what
/// makes 100 concurrent wrong codes count as 100 attempts, of which only `maxAttempts` are checked.
///
/// Times are whole seconds, so `retryAfterSeconds` is exact (at least 1 while a timed lock runs).
public struct LockoutPolicy: Sendable, Hashable {
    /// Consecutive wrong codes that lock (default 3).
    public var maxAttempts: Int
    /// How long a timed lock lasts, in seconds (default 300).
    public var lockSeconds: Int64
    /// The lock that is this many within the window needs support to lift (default 3).
    public var locksBeforeEscalation: Int
    /// The escalation window in seconds (default 86 400, 24 h).
    public var escalationWindowSeconds: Int64

    /// Creates a policy; the defaults are the spec's.
    /// - Parameters:
    ///   - maxAttempts: Consecutive wrong codes that lock (at least 1).
    ///   - lockSeconds: Length of a timed lock (at least 1).
    ///   - locksBeforeEscalation: Locks within the window that escalate to support (at least 1).
    ///   - escalationWindowSeconds: The window (at least 1).
    public init(
        maxAttempts: Int = 3,
        lockSeconds: Int64 = 5 * Durations.minute,
        locksBeforeEscalation: Int = 3,
        escalationWindowSeconds: Int64 = Durations.day
    ) {
        self.maxAttempts = maxAttempts
        self.lockSeconds = lockSeconds
        self.locksBeforeEscalation = locksBeforeEscalation
        self.escalationWindowSeconds = escalationWindowSeconds
    }

    /// Whether a code may be checked now.
    public enum Gate: Sendable, Hashable {
        /// A code may be checked; `attemptsRemaining` wrong codes (including this one) lock.
        case open(attemptsRemaining: Int)
        /// Locked: answer `LOCKED` without checking the code. `retryAfterSeconds` is 0 when
        /// `untilSupport` is true.
        case locked(retryAfterSeconds: Int64, untilSupport: Bool)
    }

    /// What a wrong code led to.
    public enum FailureOutcome: Sendable, Hashable {
        /// Wrong code, not locked yet: `INVALID_CODE` with `attemptsRemaining` (at least 1).
        case invalid(attemptsRemaining: Int)
        /// This wrong code locked the account: `LOCKED`. `retryAfterSeconds` is 0 when `untilSupport`.
        case lockedNow(retryAfterSeconds: Int64, untilSupport: Bool)
        /// The account was already locked: nothing was counted (the caller should not have
        /// checked the code; see ``LockoutPolicy/evaluate(_:now:)``). `LOCKED`.
        case alreadyLocked(retryAfterSeconds: Int64, untilSupport: Bool)
    }

    /// Tells whether a code may be checked at `now`.
    /// - Parameters:
    ///   - state: The account's stored state.
    ///   - now: The current time.
    /// - Returns: ``Gate/open(attemptsRemaining:)`` or ``Gate/locked(retryAfterSeconds:untilSupport:)``.
    public func evaluate(_ state: AttemptState, now: Timestamp) -> Gate {
        if state.lockedUntilSupport {
            return .locked(retryAfterSeconds: 0, untilSupport: true)
        }
        if let until = state.lockedUntil, now < until {
            return .locked(retryAfterSeconds: max(1, until.seconds(since: now)), untilSupport: false)
        }
        return .open(attemptsRemaining: max(1, maxAttempts - state.consecutiveFailures))
    }

    /// Records a wrong code.
    /// - Parameters:
    ///   - state: The account's stored state.
    ///   - now: The current time.
    /// - Returns: The state to store and the outcome to answer with. While locked the state is
    ///   returned unchanged with ``FailureOutcome/alreadyLocked(retryAfterSeconds:untilSupport:)``.
    public func recordFailure(_ state: AttemptState, now: Timestamp) -> (state: AttemptState, outcome: FailureOutcome) {
        if case .locked(let retryAfter, let untilSupport) = evaluate(state, now: now) {
            return (state, .alreadyLocked(retryAfterSeconds: retryAfter, untilSupport: untilSupport))
        }
        var next = state
        if let until = next.lockedUntil, until <= now {
            // The timed lock is over: the counter was reset when it began; forget its end.
            next.lockedUntil = nil
        }
        next.recentLocks = locksInWindow(next.recentLocks, now: now)
        next.consecutiveFailures += 1
        guard next.consecutiveFailures >= maxAttempts else {
            return (next, .invalid(attemptsRemaining: maxAttempts - next.consecutiveFailures))
        }
        next.consecutiveFailures = 0
        next.recentLocks.append(now)
        if next.recentLocks.count >= locksBeforeEscalation {
            next.lockedUntilSupport = true
            next.lockedUntil = nil
            return (next, .lockedNow(retryAfterSeconds: 0, untilSupport: true))
        }
        next.lockedUntil = now.adding(seconds: lockSeconds)
        return (next, .lockedNow(retryAfterSeconds: lockSeconds, untilSupport: false))
    }

    /// Records a correct code: resets the consecutive counter, keeps the lock history (and any
    /// lock: a success must never be recorded while ``evaluate(_:now:)`` says locked).
    /// - Parameter state: The account's stored state.
    /// - Returns: The state to store.
    public func recordSuccess(_ state: AttemptState) -> AttemptState {
        var next = state
        next.consecutiveFailures = 0
        return next
    }

    /// Support's `UnlockAccount`: clears the counter, the lock and the lock history.
    /// - Parameter state: The account's stored state.
    /// - Returns: A fresh state.
    public func unlock(_ state: AttemptState) -> AttemptState {
        AttemptState()
    }

    /// The exact message for a gate, or `nil` when open.
    /// - Parameter gate: The result of ``evaluate(_:now:)``.
    /// - Returns: The `LOCKED` message, or `nil`.
    public func message(for gate: Gate) -> String? {
        switch gate {
        case .open:
            return nil
        case .locked(_, let untilSupport):
            return untilSupport ? UserMessages.lockedUntilSupport : UserMessages.locked(lockSeconds: lockSeconds)
        }
    }

    /// The exact message for the outcome of a wrong code (SPEC 2.3).
    /// - Parameter outcome: The result of ``recordFailure(_:now:)``.
    /// - Returns: The message to send with `INVALID_CODE` or `LOCKED`.
    public func message(for outcome: FailureOutcome) -> String {
        switch outcome {
        case .invalid(let remaining):
            return remaining == 1 ? UserMessages.invalidCodeLastAttempt(maxAttempts: maxAttempts) : UserMessages.invalidCode
        case .lockedNow(_, let untilSupport), .alreadyLocked(_, let untilSupport):
            return untilSupport ? UserMessages.lockedUntilSupport : UserMessages.locked(lockSeconds: lockSeconds)
        }
    }

    private func locksInWindow(_ locks: [Timestamp], now: Timestamp) -> [Timestamp] {
        locks.filter { now.seconds(since: $0) < escalationWindowSeconds }
    }
}
