import Foundation

/// The outcome of a run, for people (`text`) and machines (`json`).
public struct LoadReport: Codable, Sendable {
    /// One scenario's share of the run.
    public struct ScenarioReport: Codable, Sendable {
        public var operations: Int
        public var requests: Int
        public var operationsPerSecond: Double
        public var errors: [String: Int]
        public var unexpectedErrors: Int
        public var latency: LatencySummary

        enum CodingKeys: String, CodingKey {
            case operations, requests, errors, latency
            case operationsPerSecond = "operations_per_second"
            case unexpectedErrors = "unexpected_errors"
        }
    }

    /// What was driven, and how.
    public struct Settings: Codable, Sendable {
        /// `host:port`, and what is behind it (`mfad`, `echo`, `grpc`).
        public var server: String
        public var target: String
        public var mix: String
        public var connections: Int
        public var inFlight: Int
        /// Operations per second asked for (open loop); nil for a closed loop.
        public var rate: Double?
        public var durationSeconds: Double?
        public var operationsLimit: Int?

        public init(server: String, target: String, mix: String, connections: Int, inFlight: Int, rate: Double?,
                    durationSeconds: Double?, operationsLimit: Int?) {
            self.server = server; self.target = target; self.mix = mix; self.connections = connections
            self.inFlight = inFlight; self.rate = rate; self.durationSeconds = durationSeconds
            self.operationsLimit = operationsLimit
        }

        enum CodingKeys: String, CodingKey {
            case server, target, mix, connections, rate
            case inFlight = "in_flight"
            case durationSeconds = "duration_seconds"
            case operationsLimit = "operations_limit"
        }
    }

    public var settings: Settings
    /// Seconds from the first operation to the last answer.
    public var elapsedSeconds: Double
    public var operations: Int
    public var requests: Int
    public var requestsPerSecond: Double
    public var operationsPerSecond: Double
    public var errors: [String: Int]
    public var unexpectedErrors: Int
    /// All operations together.
    public var latency: LatencySummary
    public var scenarios: [String: ScenarioReport]
    /// Requests answered on the load connections including the warm-up (for costs per request
    /// measured over the whole load phase); nil when not counted.
    public var requestsIncludingWarmup: Int?

    enum CodingKeys: String, CodingKey {
        case settings, operations, requests, errors, latency, scenarios
        case requestsIncludingWarmup = "requests_including_warmup"
        case elapsedSeconds = "elapsed_seconds"
        case requestsPerSecond = "requests_per_second"
        case operationsPerSecond = "operations_per_second"
        case unexpectedErrors = "unexpected_errors"
    }

    /// - Parameters:
    ///   - settings: what was asked for.
    ///   - elapsedSeconds: how long the measured phase took.
    ///   - stats: each scenario's merged stats.
    public init(settings: Settings, elapsedSeconds: Double, stats: [Scenario: ScenarioStats]) {
        self.settings = settings
        self.elapsedSeconds = elapsedSeconds
        var all = ScenarioStats()
        var scenarios: [String: ScenarioReport] = [:]
        for (scenario, s) in stats {
            all.merge(s)
            scenarios[scenario.rawValue] = ScenarioReport(
                operations: s.operations, requests: s.requests,
                operationsPerSecond: Self.perSecond(s.operations, elapsedSeconds),
                errors: s.errors, unexpectedErrors: s.unexpectedErrors, latency: LatencySummary(s.latency))
        }
        operations = all.operations
        requests = all.requests
        requestsPerSecond = Self.perSecond(all.requests, elapsedSeconds)
        operationsPerSecond = Self.perSecond(all.operations, elapsedSeconds)
        errors = all.errors
        unexpectedErrors = all.unexpectedErrors
        latency = LatencySummary(all.latency)
        self.scenarios = scenarios
    }

    static func perSecond(_ count: Int, _ seconds: Double) -> Double {
        seconds > 0 ? (Double(count) / seconds).rounded() : 0
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The summary printed at the end of a run.
    public var text: String {
        var lines: [String] = []
        let loop = settings.rate.map { "open loop at \(Self.number($0)) ops/s" } ?? "closed loop"
        lines.append("load on \(settings.target) at \(settings.server), mix \(settings.mix), \(settings.connections) connections x \(settings.inFlight) in flight, \(loop)")
        lines.append(String(format: "elapsed %.2f s: %@ requests (%@/s), %@ operations (%@/s)", elapsedSeconds,
                            Self.number(Double(requests)), Self.number(requestsPerSecond),
                            Self.number(Double(operations)), Self.number(operationsPerSecond)))
        if errors.isEmpty {
            lines.append("errors: none")
        } else {
            let listed = errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("errors: \(listed) (\(unexpectedErrors) unexpected)")
        }
        lines.append(Self.latencyHeader)
        for name in scenarios.keys.sorted() {
            let s = scenarios[name]!
            lines.append(Self.latencyRow(name, ops: s.operationsPerSecond, s.latency))
        }
        if scenarios.count > 1 { lines.append(Self.latencyRow("all", ops: operationsPerSecond, latency)) }
        return lines.joined(separator: "\n")
    }

    static let latencyHeader = "latency (µs)         ops/s       p50       p90       p99     p99.9       max"

    static func latencyRow(_ name: String, ops: Double, _ l: LatencySummary) -> String {
        func col(_ v: Double) -> String { String(repeating: " ", count: max(0, 10 - Self.fixed(v).count)) + Self.fixed(v) }
        let label = name.padding(toLength: 16, withPad: " ", startingAt: 0)
        let opsText = Self.number(ops)
        return label + String(repeating: " ", count: max(0, 12 - opsText.count)) + opsText
            + col(l.p50) + col(l.p90) + col(l.p99) + col(l.p999) + col(l.max)
    }

    static func fixed(_ v: Double) -> String { String(format: "%.1f", v) }

    /// An integer with thousands separators (`123,456`).
    public static func number(_ value: Double) -> String {
        let n = Int(value.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// The line printed each second while a run goes on.
    /// - Parameters:
    ///   - second: seconds since the start.
    ///   - requests: requests answered during the last second.
    ///   - operations: operations finished during the last second.
    ///   - errors: errors during the last second.
    ///   - inFlight: operations started and not yet finished.
    public static func progressLine(second: Int, requests: Int, operations: Int, errors: Int, inFlight: Int) -> String {
        "[\(String(repeating: " ", count: max(0, 4 - String(second).count)))\(second)s] \(number(Double(requests))) req/s, \(number(Double(operations))) ops/s, \(number(Double(errors))) errors, \(inFlight) in flight"
    }
}
