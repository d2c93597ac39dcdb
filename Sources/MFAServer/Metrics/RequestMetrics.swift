import MFAWire
import Metrics
import NIOConcurrencyHelpers

/// The counter and duration histogram of one RPC and outcome
/// (`mfad_requests_total{rpc, outcome}`, `mfad_request_duration_seconds{rpc, outcome}`).
final class RequestMetrics: Sendable {
    let count: Counter
    let duration: Timer

    init(rpc: String, outcome: String, factory: any MetricsFactory) {
        let dimensions = [("rpc", rpc), ("outcome", outcome)]
        count = Counter(label: "mfad_requests_total", dimensions: dimensions, factory: factory)
        duration = Timer(label: "mfad_request_duration_seconds", dimensions: dimensions, factory: factory)
    }

    /// How a request was answered, as the `outcome` label tells it.
    enum Outcome: Equatable {
        /// A result: `OK`.
        case ok
        /// An error answer, or `INTERNAL` for a failed future: the code's name.
        case error(ErrorCode)

        /// The label: `OK`, `INVALID_CODE`, `LOCKED`, ...
        var label: String {
            switch self {
            case .ok: "OK"
            case .error(let code): code.shortName
            }
        }

        /// The outcome's column in a `Table`: 0 for `OK`, then the known error codes in .proto
        /// order; nil for a code this build does not know.
        var index: Int? {
            switch self {
            case .ok: 0
            case .error(let code): code.knownIndex.map { $0 + 1 }
            }
        }

        /// Columns of a `Table`.
        static let count = ErrorCode.knownValues.count + 1
    }

    /// The metrics of every (RPC, outcome) pair, made the first time each is needed (so that
    /// `/metrics` lists only what happened) and found again by two array indexes and an atomic
    /// load: no string key, no hashing, no lock once made.
    final class Table: Sendable {
        private let factory: any MetricsFactory
        /// Row `rpcIndex` (position in `Request.Call.allRPCNames`), column `Outcome.index`.
        private let slots: [LazyMetric<RequestMetrics>]
        /// Taken only while a handle is made.
        private let creation = NIOLock()
        /// Outcomes with an error code this build does not know (never produced by this
        /// server, kept so that no answer goes uncounted), by RPC and label; behind its own lock.
        private let unusual = NIOLockedValueBox<[String: RequestMetrics]>([:])

        /// - Parameter factory: the metrics backend the handles are made with.
        init(factory: any MetricsFactory) {
            self.factory = factory
            self.slots = (0..<(Request.Call.allRPCNames.count * Outcome.count)).map { _ in LazyMetric() }
        }

        /// The metrics for `call` answered with `outcome`.
        func metrics(for call: Request.Call, outcome: Outcome) -> RequestMetrics {
            let rpcIndex = call.rpcIndex
            guard let column = outcome.index, rpcIndex < Request.Call.allRPCNames.count else {
                let rpc = call.rpcName
                let label = outcome.label
                return unusual.withLockedValue { known in
                    let key = rpc + " " + label
                    if let made = known[key] { return made }
                    let made = RequestMetrics(rpc: rpc, outcome: label, factory: factory)
                    known[key] = made
                    return made
                }
            }
            return slots[rpcIndex * Outcome.count + column].get(creation: creation) {
                RequestMetrics(rpc: call.rpcName, outcome: outcome.label, factory: factory)
            }
        }
    }
}

extension ErrorCode {
    /// The position of this code in `knownValues` (its wire number), nil for an unrecognised one.
    var knownIndex: Int? {
        let number = Int(rawValue)
        guard number < ErrorCode.knownValues.count, ErrorCode.knownValues[number] == self else { return nil }
        return number
    }
}
