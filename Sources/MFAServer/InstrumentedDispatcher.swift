import Logging
import MFAWire
import Metrics
import NIOCore

/// Wraps the whole dispatcher to measure every dispatched request in one place: a counter and a
/// duration histogram per RPC and outcome, the number in flight, and one debug log line per
/// request with the RPC, the outcome and the duration. It never looks inside requests or
/// answers beyond the answer's error code, so nothing secret reaches the metrics or the log.
///
/// Metrics (swift-metrics; the process chooses the backend):
/// - `mfad_requests_total{rpc, outcome}`: answered requests; `outcome` is `OK` or the error
///   code (`INVALID_CODE`, `LOCKED`, `UNAVAILABLE`, ...).
/// - `mfad_request_duration_seconds{rpc, outcome}`: time from dispatch to answer.
/// - `mfad_requests_in_flight`: requests dispatched and not yet answered.
///
/// Requests the connection answers itself before dispatch (bad envelope, unsupported version,
/// unauthenticated, or arriving while draining) are counted by the server as
/// `mfad_requests_rejected_total{code}`.
public struct InstrumentedDispatcher: RequestDispatcher {
    /// Where calls go.
    public let next: any RequestDispatcher
    private let inFlight: Meter
    private let metrics = RequestMetrics.Cache()

    /// - Parameter next: the dispatcher that answers (usually the `SystemDispatcher`). Make it
    ///   after `MetricsSystem.bootstrap`: metrics bind to the backend in force when they are made.
    public init(next: any RequestDispatcher) {
        self.next = next
        self.inFlight = Meter(label: "mfad_requests_in_flight")
    }

    public var supportedRPCs: [String] { next.supportedRPCs }

    public func dispatch(_ call: Request.Call, context: RequestContext, promise: EventLoopPromise<Response.Result>) {
        let rpc = call.rpcName
        let started = NIODeadline.now()
        let inFlight = self.inFlight
        let metrics = self.metrics
        inFlight.increment()
        let logger = context.logger
        let requestID = context.requestID
        // The next dispatcher completes its own promise; the metrics are recorded before the
        // caller's promise completes, so a scrape after an answer always sees that answer counted.
        let inner = context.eventLoop.makePromise(of: Response.Result.self)
        inner.futureResult.whenComplete { result in
            let elapsed = NIODeadline.now() - started
            inFlight.decrement()
            let outcome: String
            switch result {
            case .success(.error(let details)): outcome = details.code.shortName
            case .success: outcome = "OK"
            case .failure: outcome = "INTERNAL"
            }
            let measured = metrics.metrics(rpc: rpc, outcome: outcome)
            measured.count.increment()
            measured.duration.recordNanoseconds(elapsed.nanoseconds)
            logger.debug("request", metadata: [
                "request_id": "\(requestID)", "rpc": "\(rpc)", "outcome": "\(outcome)",
                "duration_ms": "\(Double(elapsed.nanoseconds / 1_000) / 1_000)",
            ])
            promise.completeWith(result)
        }
        next.dispatch(call, context: context, promise: inner)
    }
}

extension ErrorCode {
    /// The code's name without the proto prefix: `INVALID_CODE`, `LOCKED`, ...
    public var shortName: String {
        let name = protoName
        return name.hasPrefix("ERROR_CODE_") ? String(name.dropFirst("ERROR_CODE_".count)) : name
    }
}
