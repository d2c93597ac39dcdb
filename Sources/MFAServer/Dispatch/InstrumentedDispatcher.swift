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
/// Each handle is made once (the first time its RPC and outcome occur) and found again without
/// a lock. An answer given at once is measured at once; a pending one when its future
/// completes, before the connection's own callback, so a scrape after an answer always sees
/// that answer counted. No second promise is made.
///
/// Requests the connection answers itself before dispatch (bad envelope, unsupported version,
/// unauthenticated, or arriving while draining) are counted by the server as
/// `mfad_requests_rejected_total{code}`.
public struct InstrumentedDispatcher: RequestDispatcher {
    /// Where calls go.
    public let next: any RequestDispatcher
    private let inFlight: Meter
    private let metrics: RequestMetrics.Table

    /// - Parameters:
    ///   - next: the dispatcher that answers (usually the `SystemDispatcher`).
    ///   - factory: the metrics backend; by default the one of `MetricsSystem.bootstrap`, so
    ///     make the dispatcher after bootstrapping (metrics bind to the backend in force when
    ///     they are made).
    public init(next: any RequestDispatcher, factory: any MetricsFactory = MetricsSystem.factory) {
        self.next = next
        self.inFlight = Meter(label: "mfad_requests_in_flight", factory: factory)
        self.metrics = RequestMetrics.Table(factory: factory)
    }

    public var supportedRPCs: [String] { next.supportedRPCs }

    /// Dispatches `call` to `next` and measures its answer.
    /// - Parameters:
    ///   - call: the decoded call.
    ///   - context: the request's context.
    /// - Returns: what `next` returned (a pending future is returned as it is).
    public func dispatch(_ call: Request.Call, context: RequestContext) -> DispatchOutcome {
        let started = NIODeadline.now()
        switch next.dispatch(call, context: context) {
        case .answered(let result):
            // Never in flight across a turn of the loop: the gauge is left alone.
            record(call, .success(result), started: started, logger: context.logger, requestID: context.requestID)
            return .answered(result)
        case .pending(let future):
            let inFlight = self.inFlight
            inFlight.increment()
            let logger = context.logger
            let requestID = context.requestID
            future.whenComplete { [self] result in
                inFlight.decrement()
                record(call, result, started: started, logger: logger, requestID: requestID)
            }
            return .pending(future)
        }
    }

    private func record(_ call: Request.Call, _ result: Result<Response.Result, any Error>, started: NIODeadline,
                        logger: Logger, requestID: UInt64) {
        let elapsed = NIODeadline.now() - started
        let outcome: RequestMetrics.Outcome
        switch result {
        case .success(.error(let details)): outcome = .error(details.code)
        case .success: outcome = .ok
        case .failure: outcome = .error(.internal)
        }
        let measured = metrics.metrics(for: call, outcome: outcome)
        measured.count.increment()
        measured.duration.recordNanoseconds(elapsed.nanoseconds)
        logger.debug("request", metadata: [
            "request_id": "\(requestID)", "rpc": "\(call.rpcName)", "outcome": "\(outcome.label)",
            "duration_ms": "\(Double(elapsed.nanoseconds / 1_000) / 1_000)",
        ])
    }
}

extension ErrorCode {
    /// The code's name without the proto prefix: `INVALID_CODE`, `LOCKED`, ...
    public var shortName: String {
        let name = protoName
        return name.hasPrefix("ERROR_CODE_") ? String(name.dropFirst("ERROR_CODE_".count)) : name
    }
}
