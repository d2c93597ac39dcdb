import Metrics
import NIOConcurrencyHelpers

/// The counter and duration histogram of one RPC and outcome, made once and reused: making a
/// metric asks the backend's registry (a lock, a lookup and fresh label arrays) every time, which
/// on a `Ping` cost more than the answer itself.
struct RequestMetrics: Sendable {
    let count: Counter
    let duration: Timer

    /// The metrics of every (RPC, outcome) pair seen so far, created the first time each is needed
    /// so that `/metrics` lists only what happened.
    final class Cache: Sendable {
        private struct Key: Hashable {
            let rpc: String
            let outcome: String
        }

        private let metrics = NIOLockedValueBox<[Key: RequestMetrics]>([:])

        /// The metrics for `rpc` answered with `outcome`.
        func metrics(rpc: String, outcome: String) -> RequestMetrics {
            let key = Key(rpc: rpc, outcome: outcome)
            if let known = metrics.withLockedValue({ $0[key] }) { return known }
            let dimensions = [("rpc", rpc), ("outcome", outcome)]
            let made = RequestMetrics(count: Counter(label: "mfad_requests_total", dimensions: dimensions),
                                      duration: Timer(label: "mfad_request_duration_seconds", dimensions: dimensions))
            return metrics.withLockedValue { cache in
                if let raced = cache[key] { return raced }
                cache[key] = made
                return made
            }
        }
    }
}
