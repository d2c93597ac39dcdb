import Histogram

/// What one scenario did: operations, requests, errors by code, and the latency of its operations.
public struct ScenarioStats: Sendable {
    /// Latencies are recorded in nanoseconds, up to this many (100 s); longer ones count as this.
    public static let highestTrackableNanoseconds: UInt64 = 100_000_000_000

    /// Operations answered (successfully or not).
    public var operations = 0
    /// Requests answered on the load connections (an operation may make several).
    public var requests = 0
    /// Errors by proto name of the code (`ERROR_CODE_INVALID_CODE`), or `CONNECTION` and
    /// `TIMEOUT` for failures that are not the server's answer.
    public var errors: [String: Int] = [:]
    /// Errors that are not the scenario's normal answer.
    public var unexpectedErrors = 0
    /// Operation latency in nanoseconds, 3 significant digits.
    public var latency = Histogram<UInt64>(highestTrackableValue: ScenarioStats.highestTrackableNanoseconds,
                                           numberOfSignificantValueDigits: .three)

    public init() {}

    /// Records one finished operation.
    /// - Parameters:
    ///   - nanoseconds: from the operation's intended start to its last answer.
    ///   - requests: how many requests it made.
    ///   - error: the error that ended it, if any.
    ///   - expected: whether that error is the scenario's normal answer.
    public mutating func record(nanoseconds: UInt64, requests: Int, error: String? = nil, expected: Bool = false) {
        operations += 1
        self.requests += requests
        latency.record(min(nanoseconds, Self.highestTrackableNanoseconds))
        if let error {
            errors[error, default: 0] += 1
            if !expected { unexpectedErrors += 1 }
        }
    }

    /// Adds another set of stats (from another event loop) to this one.
    public mutating func merge(_ other: ScenarioStats) {
        operations += other.operations
        requests += other.requests
        for (code, count) in other.errors { errors[code, default: 0] += count }
        unexpectedErrors += other.unexpectedErrors
        latency.add(other.latency)
    }
}

/// Percentiles of a latency histogram, in microseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double
    public var mean: Double

    /// - Parameter histogram: latencies in nanoseconds.
    public init(_ histogram: Histogram<UInt64>) {
        func us(_ ns: UInt64) -> Double { (Double(ns) / 100).rounded() / 10 }
        if histogram.totalCount == 0 {
            p50 = 0; p90 = 0; p99 = 0; p999 = 0; max = 0; mean = 0
            return
        }
        p50 = us(histogram.valueAtPercentile(50))
        p90 = us(histogram.valueAtPercentile(90))
        p99 = us(histogram.valueAtPercentile(99))
        p999 = us(histogram.valueAtPercentile(99.9))
        max = us(histogram.max)
        mean = (histogram.mean / 100).rounded() / 10
    }

    public init(p50: Double, p90: Double, p99: Double, p999: Double, max: Double, mean: Double) {
        self.p50 = p50; self.p90 = p90; self.p99 = p99; self.p999 = p999; self.max = max; self.mean = mean
    }

    enum CodingKeys: String, CodingKey {
        case p50 = "p50_us", p90 = "p90_us", p99 = "p99_us", p999 = "p99_9_us", max = "max_us", mean = "mean_us"
    }
}
