/// Hands out TOTP verifications so that no code is ever a replay, for the `totp` scenario.
///
/// The server accepts a code for the steps `clock - 1 ... clock + 1` and only at a step later
/// than the last one it accepted for the account. With a manual clock (test mode) at step `C`,
/// the planner has every account verify once with the code of step `C + 1` (one "round"); when
/// every account has had its turn, the caller advances the server's clock by one period and the
/// next round uses `C + 2`. So:
/// - an account is never used twice in a round, and never while its previous call is in flight,
///   so its steps only increase;
/// - the clock moves only when the caller has seen the previous advance answered and no call of
///   an older round is still in flight, so every code is inside the window when it arrives
///   (a call of round `r`, with the code of `C + 1`, meets the clock at `C` or `C + 1`: within one step).
///
/// A challenge is single use, so each verification consumes one of the account's challenges,
/// which the set-up phase made with `Login` (one password hash each).
public struct TOTPRoundPlanner: Sendable {
    /// What the caller should do next.
    public enum Take: Equatable, Sendable {
        /// Verify a challenge of `account` with the code of `step`.
        case use(account: Int, step: Int64)
        /// Advance the server's clock by one period, then call `clockAdvanced(toStep:)`.
        case advanceClock
        /// Nothing to hand out until a call finishes or the clock moves: ask again then.
        case wait
        /// Every challenge has been used.
        case exhausted
    }

    /// The server clock's current TOTP step.
    public private(set) var clockStep: Int64
    /// The current round (0 for the first).
    public private(set) var round = 0
    private var remaining: [Int]
    private var lastRound: [Int]
    private var inFlightRound: [Int?]
    private var inFlightPerRound: [Int: Int] = [:]
    private var advancePending = false
    private var cursor = 0

    /// - Parameters:
    ///   - challengesPerAccount: how many unused challenges each account has.
    ///   - clockStep: the server clock's step now (`unix_seconds / period`), at or after the
    ///     step of each account's last accepted code.
    public init(challengesPerAccount: [Int], clockStep: Int64) {
        self.remaining = challengesPerAccount
        self.lastRound = Array(repeating: -1, count: challengesPerAccount.count)
        self.inFlightRound = Array(repeating: nil, count: challengesPerAccount.count)
        self.clockStep = clockStep
    }

    /// Challenges not yet handed out.
    public var challengesLeft: Int { remaining.reduce(0, +) }

    /// The next thing to do.
    public mutating func take() -> Take {
        guard !advancePending else { return .wait }
        let count = remaining.count
        var anyLeft = false
        var roundOpen = false
        for offset in 0..<count {
            let account = (cursor + offset) % count
            guard remaining[account] > 0 else { continue }
            anyLeft = true
            guard lastRound[account] < round else { continue }
            roundOpen = true
            guard inFlightRound[account] == nil else { continue }
            remaining[account] -= 1
            lastRound[account] = round
            inFlightRound[account] = round
            inFlightPerRound[round, default: 0] += 1
            cursor = (account + 1) % count
            return .use(account: account, step: clockStep + 1)
        }
        guard anyLeft else { return .exhausted }
        if roundOpen { return .wait }
        // Every account with challenges left has had its turn in this round.
        let olderInFlight = inFlightPerRound.contains { $0.key < round && $0.value > 0 }
        guard !olderInFlight else { return .wait }
        advancePending = true
        return .advanceClock
    }

    /// Records that the call handed out for `account` has been answered.
    public mutating func finished(account: Int) {
        guard let callRound = inFlightRound[account] else { return }
        inFlightRound[account] = nil
        inFlightPerRound[callRound, default: 0] -= 1
        if inFlightPerRound[callRound] == 0 { inFlightPerRound[callRound] = nil }
    }

    /// Records that the server's clock now stands at `step`; opens the next round.
    public mutating func clockAdvanced(toStep step: Int64) {
        clockStep = step
        round += 1
        advancePending = false
    }
}
