import Metrics
import NIOConcurrencyHelpers

/// A metrics backend that counts how many handles are made for each metric, and keeps each
/// metric's value: to check that the server makes every handle once, not per request.
final class CountingMetricsFactory: MetricsFactory, Sendable {
    struct Key: Hashable, CustomStringConvertible {
        let label: String
        let dimensions: [String]

        init(_ label: String, _ dimensions: [(String, String)] = []) {
            self.label = label
            self.dimensions = dimensions.map { "\($0.0)=\($0.1)" }
        }

        var description: String { "\(label){\(dimensions.joined(separator: ","))}" }
    }

    /// A value shared by every handle of one metric (as a real backend's registry would).
    final class Value: CounterHandler, FloatingPointCounterHandler, MeterHandler, RecorderHandler, TimerHandler, Sendable {
        private let value = NIOLockedValueBox<Double>(0)
        private let recordings = NIOLockedValueBox<Int>(0)

        var current: Double { value.withLockedValue { $0 } }
        var recordCount: Int { recordings.withLockedValue { $0 } }

        func increment(by amount: Int64) { value.withLockedValue { $0 += Double(amount) } }
        func increment(by amount: Double) { value.withLockedValue { $0 += amount } }
        func decrement(by amount: Double) { value.withLockedValue { $0 -= amount } }
        func reset() { value.withLockedValue { $0 = 0 } }
        func set(_ new: Int64) { value.withLockedValue { $0 = Double(new) } }
        func set(_ new: Double) { value.withLockedValue { $0 = new } }
        func record(_ new: Int64) { recordNanoseconds(new) }
        func record(_ new: Double) { recordings.withLockedValue { $0 += 1 } }
        func recordNanoseconds(_ duration: Int64) { recordings.withLockedValue { $0 += 1 } }
    }

    private struct State {
        var made: [Key: Int] = [:]
        var values: [Key: Value] = [:]
    }

    private let state = NIOLockedValueBox(State())

    /// Handles made so far, over every metric.
    var handlesMade: Int { state.withLockedValue { $0.made.values.reduce(0, +) } }

    /// Handles made so far for each metric.
    var madePerMetric: [Key: Int] { state.withLockedValue { $0.made } }

    /// The metric's value (a counter's count, a meter's level), nil when never made.
    func value(_ label: String, _ dimensions: [(String, String)] = []) -> Double? {
        state.withLockedValue { $0.values[Key(label, dimensions)] }?.current
    }

    /// How many values a timer or recorder received, nil when never made.
    func recordCount(_ label: String, _ dimensions: [(String, String)] = []) -> Int? {
        state.withLockedValue { $0.values[Key(label, dimensions)] }?.recordCount
    }

    private func make(_ label: String, _ dimensions: [(String, String)]) -> Value {
        let key = Key(label, dimensions)
        return state.withLockedValue { state in
            state.made[key, default: 0] += 1
            if let value = state.values[key] { return value }
            let value = Value()
            state.values[key] = value
            return value
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { make(label, dimensions) }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        make(label, dimensions)
    }
    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler { make(label, dimensions) }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        make(label, dimensions)
    }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { make(label, dimensions) }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
