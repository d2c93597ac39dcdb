import MFACore
import NIOConcurrencyHelpers

/// Rate-limits failed `Authenticate` calls per peer address: after 10 failures within a minute
/// the peer's further attempts answer `RATE_LIMITED` for a minute, so API keys cannot be guessed
/// at network speed. Kept in memory: a restart forgets it, which costs an attacker a restart.
final class CallerThrottle: Sendable {
    private let policy = PasswordThrottle(maxFailures: 10, windowSeconds: 60, lockSeconds: 60)
    private let clock: any Clock
    /// The state per peer address; one lock, because every event loop checks it.
    private let states = NIOLockedValueBox<[String: PasswordThrottleState]>([:])
    /// Peers remembered at most; the oldest entries are dropped beyond it.
    private let capacity = 10_000

    init(clock: any Clock) {
        self.clock = clock
    }

    /// Seconds until `peer` may try again, or nil when it may try now.
    func retryAfter(peer: String) -> Int64? {
        let now = clock.now()
        return states.withLockedValue { states in
            guard let state = states[peer], case .locked(let seconds) = policy.evaluate(state, now: now) else { return nil }
            return seconds
        }
    }

    /// Counts a failure of `peer`.
    func recordFailure(peer: String) {
        let now = clock.now()
        states.withLockedValue { states in
            if states.count >= capacity, states[peer] == nil, let any = states.keys.first {
                states.removeValue(forKey: any)
            }
            states[peer] = policy.recordFailure(states[peer] ?? PasswordThrottleState(), now: now).state
        }
    }

    /// Forgets `peer`'s failures after a success.
    func recordSuccess(peer: String) {
        _ = states.withLockedValue { $0.removeValue(forKey: peer) }
    }
}
