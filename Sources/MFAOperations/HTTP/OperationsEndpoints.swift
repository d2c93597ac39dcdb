import NIOConcurrencyHelpers

/// What the operations port answers: `/metrics` (Prometheus text), `/healthz` (liveness) and
/// `/readyz` (readiness). A value, so the HTTP layer knows nothing about mfad.
public struct OperationsEndpoints: Sendable {
    /// A readiness answer.
    public enum Readiness: Sendable, Equatable {
        case ready
        /// Not ready, and why (no secret; shown to whoever can reach the port).
        case notReady(String)
    }

    /// Refreshes gauges that are read on demand (queue depths from the database) and returns
    /// the Prometheus text exposition.
    public let metrics: @Sendable () async -> [UInt8]
    /// Whether the service can answer requests now (database readable, migrations applied, not
    /// shutting down).
    public let readiness: @Sendable () async -> Readiness
    /// The longest a readiness check may take before it counts as not ready.
    public let readinessTimeout: Duration

    /// - Parameters:
    ///   - metrics: the Prometheus text exposition.
    ///   - readiness: the readiness check.
    ///   - readinessTimeout: the longest a readiness check may take (default 2 s).
    public init(metrics: @escaping @Sendable () async -> [UInt8], readiness: @escaping @Sendable () async -> Readiness,
                readinessTimeout: Duration = .seconds(2)) {
        self.metrics = metrics
        self.readiness = readiness
        self.readinessTimeout = readinessTimeout
    }

    /// An HTTP answer.
    public struct Answer: Sendable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]
    }

    /// The answer to `GET path` (the query string ignored).
    public func answer(method: String, path: String) async -> Answer {
        guard method == "GET" || method == "HEAD" else {
            return Answer(status: 405, contentType: "text/plain; charset=utf-8", body: Array("only GET and HEAD\n".utf8))
        }
        let route = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        switch route {
        case "/metrics":
            return Answer(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: await metrics())
        case "/healthz":
            return Answer(status: 200, contentType: "text/plain; charset=utf-8", body: Array("ok\n".utf8))
        case "/readyz":
            switch await readinessWithTimeout() {
            case .ready:
                return Answer(status: 200, contentType: "text/plain; charset=utf-8", body: Array("ready\n".utf8))
            case .notReady(let reason):
                return Answer(status: 503, contentType: "text/plain; charset=utf-8", body: Array("not ready: \(reason)\n".utf8))
            }
        default:
            return Answer(status: 404, contentType: "text/plain; charset=utf-8",
                          body: Array("not found; try /metrics, /healthz or /readyz\n".utf8))
        }
    }

    /// The readiness check, or not ready when it takes longer than ``readinessTimeout``: a stuck
    /// database must not hang the probe (the check is left running; its late answer is dropped).
    private func readinessWithTimeout() async -> Readiness {
        let readiness = self.readiness
        let timeout = readinessTimeout
        return await withCheckedContinuation { (continuation: CheckedContinuation<Readiness, Never>) in
            // Whichever finishes first answers; the lock makes sure only one does.
            let pending = NIOLockedValueBox<CheckedContinuation<Readiness, Never>?>(continuation)
            let answer: @Sendable (Readiness) -> Void = { value in
                pending.withLockedValue { continuation in
                    continuation?.resume(returning: value)
                    continuation = nil
                }
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { answer(.notReady("the readiness check took longer than \(timeout)")) }
            }
            Task {
                answer(await readiness())
                timer.cancel()
            }
        }
    }
}
