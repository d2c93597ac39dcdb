import Logging
import MFACore
import MFAOperations
import MFAServer
import Metrics
import ServiceLifecycle

/// What `--metrics-port` turned on: the Prometheus export, and the services and hooks that feed
/// it. Without a metrics port every metric goes to swift-metrics' no-op backend.
struct Observability: Sendable {
    /// The export, when the metrics endpoint is on.
    let export: PrometheusExport?
    let metricsHost: String
    let metricsPort: Int?

    /// Records how long password hashes wait for a hashing thread
    /// (`mfad_password_hash_queue_wait_seconds`); nil when metrics are off.
    var passwordQueueWait: (@Sendable (Duration) -> Void)? {
        guard export != nil else { return nil }
        let timer = Timer(label: "mfad_password_hash_queue_wait_seconds")
        return { wait in timer.recordNanoseconds(Int64(wait.components.seconds) * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000) }
    }

    /// The services to run beside the server: the operations HTTP endpoint when a metrics port
    /// is set. Put them before the server in the `ServiceGroup`: graceful shutdown runs in
    /// reverse order, so the server drains (and `/readyz` answers 503) while the endpoint still
    /// answers.
    /// - Parameters:
    ///   - storage: the database, for readiness and the queue gauges.
    ///   - server: the mfad server, for its draining state.
    ///   - logger: where the endpoint logs.
    /// - Returns: the services (none without a metrics port).
    /// - Throws: when the endpoint's port cannot be bound, or the database cannot be read.
    func services(storage: any ServiceStorage, server: MFAServer, logger: Logger) async throws -> [any Service] {
        guard let export, let metricsPort else { return [] }
        Gauge(label: "mfad_build_info", dimensions: [("version", ServerVersion.current)]).record(1)
        let store = try await StoreMetrics(storage: storage)
        let endpoints = OperationsEndpoints(
            metrics: {
                await store.refresh()
                return export.text()
            },
            readiness: {
                if server.isShuttingDown { return .notReady("shutting down") }
                if let problem = await storage.readinessProblem() { return .notReady(problem) }
                return .ready
            })
        let endpoint = OperationsHTTPServer(host: metricsHost, port: metricsPort, endpoints: endpoints, logger: logger)
        try await endpoint.start()
        return [endpoint]
    }
}

/// Gauges and counters read from the database when `/metrics` is scraped: outbox depth by
/// state, failed delivery attempts, account locks (from the audit trail, counted since start),
/// and the group-commit writer's queue and batch counters.
actor StoreMetrics {
    private let storage: any ServiceStorage
    private var lastAuditID: Int64
    private var seenStates: Set<String> = []
    private var lastStatistics: StorageStatistics

    init(storage: any ServiceStorage) async throws {
        self.storage = storage
        self.lastAuditID = try await storage.operationalCounts(afterAuditID: nil).lastAuditID
        self.lastStatistics = storage.statistics
    }

    /// Reads the counts and updates the metrics; a failed read leaves them as they were (and
    /// `mfad_metrics_refresh_failures_total` counts it).
    func refresh() async {
        do {
            let counts = try await storage.operationalCounts(afterAuditID: lastAuditID)
            lastAuditID = counts.lastAuditID
            // Every state seen once stays exported (0 when empty), so it never vanishes from a graph.
            seenStates.formUnion(counts.outboxByState.keys)
            seenStates.formUnion(OutboxRecord.State.allCases.map(\.rawValue))
            for state in seenStates {
                Gauge(label: "mfad_outbox_messages", dimensions: [("state", state)]).record(counts.outboxByState[state] ?? 0)
            }
            for (channel, attempts) in counts.failedDeliveryAttemptsByChannel {
                Gauge(label: "mfad_outbox_failed_delivery_attempts", dimensions: [("channel", channel)]).record(attempts)
            }
            Counter(label: "mfad_lockouts_total", dimensions: [("kind", "temporary")]).increment(by: counts.temporaryLocks)
            Counter(label: "mfad_lockouts_total", dimensions: [("kind", "until_support")]).increment(by: counts.locksUntilSupport)
        } catch {
            Counter(label: "mfad_metrics_refresh_failures_total").increment()
        }
        let statistics = storage.statistics
        Gauge(label: "mfad_database_pending_writes").record(statistics.pendingWrites)
        Gauge(label: "mfad_database_pending_reads").record(statistics.pendingReads)
        Counter(label: "mfad_database_committed_batches_total")
            .increment(by: max(0, statistics.committedBatches - lastStatistics.committedBatches))
        Counter(label: "mfad_database_committed_writes_total")
            .increment(by: max(0, statistics.committedWrites - lastStatistics.committedWrites))
        Counter(label: "mfad_database_failed_batches_total")
            .increment(by: max(0, statistics.failedBatches - lastStatistics.failedBatches))
        lastStatistics = statistics
    }
}
