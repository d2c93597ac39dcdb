import Metrics
import Prometheus

/// The process's metrics backend: swift-metrics bootstrapped with a Prometheus registry, whose
/// text exposition `/metrics` serves. Libraries (MFAServer) only use the swift-metrics API.
public struct PrometheusExport: Sendable {
    /// Where every metric of the process lands.
    public let registry: PrometheusCollectorRegistry

    /// Request durations span a cached read (well under a millisecond) to an Argon2id login
    /// waiting for a hashing thread (seconds).
    public static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10),
    ]

    /// Bootstraps `MetricsSystem` (once per process; before any metric is made).
    /// - Returns: the export over the new registry.
    public static func bootstrap() -> PrometheusExport {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        MetricsSystem.bootstrap(factory)
        return PrometheusExport(registry: registry)
    }

    /// The Prometheus text exposition of every metric now.
    public func text() -> [UInt8] {
        registry.emitToBuffer()
    }
}
