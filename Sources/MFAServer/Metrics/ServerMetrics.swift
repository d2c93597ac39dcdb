import MFAWire
import Metrics
import NIOConcurrencyHelpers

/// The metrics the server and its connections keep themselves (`InstrumentedDispatcher` keeps
/// those of dispatched requests). One per server, shared by its connections; every handle is
/// made once, the first time it is needed (`LazyMetric`), never per request or connection.
///
/// - `mfad_requests_rejected_total{code}`: requests the connection answered before dispatch.
/// - `mfad_connections_open`, `mfad_connections_total`, `mfad_connections_refused_total`.
final class ServerMetrics: Sendable {
    private let factory: any MetricsFactory
    private let creation = NIOLock()
    /// By `ErrorCode.knownIndex`.
    private let rejected: [LazyMetric<Counter>]
    private let open = LazyMetric<Meter>()
    private let accepted = LazyMetric<Counter>()
    private let refused = LazyMetric<Counter>()
    /// Rejections with a code this build does not know (never produced), by code; behind its lock.
    private let unusualRejections = NIOLockedValueBox<[ErrorCode: Counter]>([:])

    /// - Parameter factory: the metrics backend the handles are made with.
    init(factory: any MetricsFactory) {
        self.factory = factory
        self.rejected = ErrorCode.knownValues.map { _ in LazyMetric() }
    }

    /// Counts a request answered before dispatch with `code`.
    func countRejected(_ code: ErrorCode) {
        rejectedCounter(code).increment()
    }

    /// The counter of requests rejected with `code`.
    func rejectedCounter(_ code: ErrorCode) -> Counter {
        guard let index = code.knownIndex else {
            return unusualRejections.withLockedValue { known in
                if let made = known[code] { return made }
                let made = makeRejectedCounter(code)
                known[code] = made
                return made
            }
        }
        return rejected[index].get(creation: creation) { makeRejectedCounter(code) }
    }

    private func makeRejectedCounter(_ code: ErrorCode) -> Counter {
        Counter(label: "mfad_requests_rejected_total", dimensions: [("code", code.shortName)], factory: factory)
    }

    /// `mfad_connections_open`.
    var connectionsOpen: Meter {
        open.get(creation: creation) { Meter(label: "mfad_connections_open", factory: factory) }
    }

    /// `mfad_connections_total`: accepted connections.
    var connectionsAccepted: Counter {
        accepted.get(creation: creation) { Counter(label: "mfad_connections_total", factory: factory) }
    }

    /// `mfad_connections_refused_total`: connections refused at `maximumConnections`.
    var connectionsRefused: Counter {
        refused.get(creation: creation) { Counter(label: "mfad_connections_refused_total", factory: factory) }
    }
}
