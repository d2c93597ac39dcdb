import MFACore

/// How long a message waits after a failed attempt: `base * 2^(failures - 1)` seconds, capped at
/// `maximum`, less a small random jitter (up to `jitterPercent` percent of the delay), so that
/// messages that failed together do not all come back in the same second.
public struct DeliveryBackoff: Sendable, Hashable {
    /// The delay after the first failure, in seconds. Default 30.
    public var baseSeconds: Int64
    /// The longest delay, in seconds. Default 3600 (1 h).
    public var maximumSeconds: Int64
    /// The most jitter, in percent of the delay (0 for none). Default 10.
    public var jitterPercent: Int

    /// - Parameters:
    ///   - baseSeconds: The delay after the first failure (1 or more).
    ///   - maximumSeconds: The cap (at least `baseSeconds`).
    ///   - jitterPercent: 0 to 50.
    public init(baseSeconds: Int64 = 30, maximumSeconds: Int64 = 3600, jitterPercent: Int = 10) {
        self.baseSeconds = baseSeconds
        self.maximumSeconds = maximumSeconds
        self.jitterPercent = jitterPercent
    }

    /// The delay before the next attempt, without jitter.
    /// - Parameter failures: Failed attempts so far (1 after the first failure).
    /// - Returns: `min(base * 2^(failures - 1), maximum)` seconds.
    public func nominalDelay(afterFailures failures: Int) -> Int64 {
        let doublings = max(0, failures - 1)
        guard doublings < 62 else { return maximumSeconds }
        let (delay, overflow) = baseSeconds.multipliedReportingOverflow(by: Int64(1) << doublings)
        return overflow ? maximumSeconds : min(delay, maximumSeconds)
    }

    /// The delay before the next attempt: the nominal delay less a random jitter of
    /// `0 ... nominal * jitterPercent / 100` seconds (never below 1 s).
    /// - Parameters:
    ///   - failures: Failed attempts so far (1 after the first failure).
    ///   - random: Where the jitter comes from (injected so tests can predict it).
    /// - Returns: The delay in seconds.
    public func delay(afterFailures failures: Int, random: any RandomSource) -> Int64 {
        let nominal = nominalDelay(afterFailures: failures)
        let spread = nominal * Int64(jitterPercent) / 100
        guard spread > 0 else { return nominal }
        let jitter = Int64(random.randomInt(below: Int(spread) + 1))
        return max(1, nominal - jitter)
    }

    /// - Throws: ``DeliveryError/Kind/invalidConfiguration`` for a base below 1 s, a cap below
    ///   the base, or a jitter outside 0 to 50 percent.
    public func validate() throws(DeliveryError) {
        guard baseSeconds >= 1 else { throw .invalidConfiguration("the delivery back-off base must be at least 1 s") }
        guard maximumSeconds >= baseSeconds else { throw .invalidConfiguration("the delivery back-off cap must be at least its base") }
        guard (0...50).contains(jitterPercent) else { throw .invalidConfiguration("the delivery back-off jitter must be 0 to 50 percent") }
    }
}
