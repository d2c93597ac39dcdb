/// `ResendCode` throttling (SPEC 2.1): by default one resend per 60 s and at most 5 resends per
/// challenge.
///
/// `resendCount` counts resends already made for the challenge (the first email is not a
/// resend); `lastSentAt` is when the latest code of the challenge was sent (the first email or
/// the latest resend). The per-challenge limit is checked first, so a challenge that has had
/// all its resends says so even within the interval. A clock that went backwards
/// (`now < lastSentAt`) waits a full interval.
public struct ResendThrottle: Sendable, Hashable {
    /// Minimum seconds between two emails of one challenge (default 60).
    public var minIntervalSeconds: Int64
    /// Resends allowed per challenge (default 5).
    public var maxResendsPerChallenge: Int

    /// Creates a throttle; the defaults are the spec's.
    /// - Parameters:
    ///   - minIntervalSeconds: Minimum seconds between sends (0 or more).
    ///   - maxResendsPerChallenge: Resends per challenge (0 or more).
    public init(minIntervalSeconds: Int64 = Durations.minute, maxResendsPerChallenge: Int = 5) {
        self.minIntervalSeconds = minIntervalSeconds
        self.maxResendsPerChallenge = maxResendsPerChallenge
    }

    /// The answer to a resend request.
    public enum Decision: Sendable, Hashable {
        /// Send a new code (replacing the previous one) and count the resend.
        case allowed
        /// Too soon: `RATE_LIMITED` with `retryAfterSeconds` (at least 1).
        case rateLimited(retryAfterSeconds: Int64)
        /// The challenge has had all its resends: `RATE_LIMITED`, retry-after 0; the user should
        /// start a new login (``ResendThrottle/message(for:)`` says so).
        case limitReached
    }

    /// Decides whether a resend may happen now.
    /// - Parameters:
    ///   - lastSentAt: When the challenge's latest code was sent.
    ///   - resendCount: Resends already made for the challenge.
    ///   - now: The current time.
    /// - Returns: The decision.
    public func evaluate(lastSentAt: Timestamp, resendCount: Int, now: Timestamp) -> Decision {
        guard resendCount < maxResendsPerChallenge else { return .limitReached }
        let elapsed = max(0, now.seconds(since: lastSentAt))
        guard elapsed >= minIntervalSeconds else {
            return .rateLimited(retryAfterSeconds: minIntervalSeconds - elapsed)
        }
        return .allowed
    }

    /// The message for a refused resend, or `nil` when allowed.
    /// - Parameter decision: The result of ``evaluate(lastSentAt:resendCount:now:)``.
    /// - Returns: The message.
    public func message(for decision: Decision) -> String? {
        switch decision {
        case .allowed:
            return nil
        case .rateLimited(let retryAfter):
            return UserMessages.resendTooSoon(retryAfterSeconds: retryAfter)
        case .limitReached:
            return UserMessages.resendLimitReached(maxResends: maxResendsPerChallenge)
        }
    }
}
