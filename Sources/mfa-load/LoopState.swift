import MFALoad
import MFAWire
import NIOCore

/// What the connections of one event loop share: the mix picker, the stats, and the counters
/// the progress line reads. Only ever touched on that event loop (it is reached through a
/// `NIOLoopBoundBox`), so it needs no lock.
final class LoopState {
    var mix: Mix
    var stats: [Scenario: ScenarioStats] = [:]
    /// Operations whose intended start is before this are not recorded (warm-up).
    let recordFrom: NIODeadline
    let pingTemplate: RequestTemplate
    /// Totals since the start, read by the progress line.
    var requests = 0
    var operations = 0
    var errors = 0
    var inFlight = 0
    /// The last answer of a recorded operation.
    var lastAnswer: NIODeadline?
    private var pickCounter = 0
    /// Scenarios whose pool is used up (the TOTP challenges): the mix skips them from then on.
    var exhausted: Set<Scenario> = []

    init(mix: Mix, recordFrom: NIODeadline, pingTemplate: RequestTemplate) {
        self.mix = mix
        self.recordFrom = recordFrom
        self.pingTemplate = pingTemplate
    }

    /// The next scenario of the mix that can still run; nil when none can.
    func nextScenario() -> Scenario? {
        for _ in 0..<mix.totalWeight {
            let scenario = mix.next()
            if !exhausted.contains(scenario) { return scenario }
        }
        return nil
    }

    /// A different index below `count` on each call (round-robin over the pools).
    func pick(_ count: Int) -> Int {
        pickCounter &+= 1
        return pickCounter % count
    }

    func record(_ scenario: Scenario, intended: NIODeadline, now: NIODeadline, requests: Int, error: String?) {
        self.requests += requests
        operations += 1
        if let error, !scenario.expectedErrors.contains(error) { errors += 1 }
        guard intended >= recordFrom else { return }
        lastAnswer = now
        let nanoseconds = UInt64(max(0, (now - intended).nanoseconds))
        stats[scenario, default: ScenarioStats()].record(
            nanoseconds: nanoseconds, requests: requests, error: error,
            expected: error.map { scenario.expectedErrors.contains($0) } ?? true)
    }
}

/// Sent down each load connection's pipeline to start it, so that all start together.
struct StartLoad: Sendable {
    let start: NIODeadline
}

/// What one connection is asked to do.
struct ConnectionPlan: Sendable {
    /// Operations at once.
    let inFlight: Int
    /// The open-loop schedule; nil for a closed loop.
    let schedule: ArrivalSchedule?
    /// The most operations to start (after warm-up); nil for no limit.
    let operations: Int?
    /// No operation is started after this (warm-up included), if set.
    let endOffset: TimeAmount?
    /// Operations started before this are warm-up.
    let warmup: TimeAmount
}

/// A server's answer, or why there is none.
enum Reply {
    /// The result; nil when the call did not ask for the body and it was not an error.
    case result(Response.Result?)
    case error(ErrorDetails)
    /// The connection failed or the frame was unreadable.
    case failure(String)

    /// The error's name for the report, nil for a result.
    var errorName: String? {
        switch self {
        case .result: nil
        case .error(let details): details.code.protoName
        case .failure(let kind): kind
        }
    }
}
