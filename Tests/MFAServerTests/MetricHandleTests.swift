import Logging
import MFAExecutors
@testable import MFAServer
import MFAWire
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

/// Metric handles are made once per label set, never per request or connection; the names,
/// labels and values stay those `/metrics` has always shown.
@Suite struct MetricHandleTests {
    @Test func thousandsOfDispatchedRequestsMakeEachHandleOnce() throws {
        let metrics = CountingMetricsFactory()
        let dispatcher = InstrumentedDispatcher(next: SystemDispatcher(version: "test"), factory: metrics)
        let loop = EmbeddedEventLoop()
        let context = ImmediateAnswerTests.context(on: loop)
        _ = dispatcher.dispatch(.ping(PingRequest()), context: context)
        _ = dispatcher.dispatch(.logout(LogoutRequest()), context: context)
        let afterFirst = metrics.handlesMade
        // The in-flight gauge, then a counter and a timer for each of (Ping, OK), (Logout, UNIMPLEMENTED).
        #expect(afterFirst == 5)
        for _ in 0..<1_000 {
            _ = dispatcher.dispatch(.ping(PingRequest()), context: context)
            _ = dispatcher.dispatch(.logout(LogoutRequest()), context: context)
        }
        #expect(metrics.handlesMade == afterFirst, "no handle made after the first of each label set: \(metrics.madePerMetric)")
        #expect(metrics.value("mfad_requests_total", [("rpc", "Ping"), ("outcome", "OK")]) == 1_001)
        #expect(metrics.value("mfad_requests_total", [("rpc", "Logout"), ("outcome", "UNIMPLEMENTED")]) == 1_001)
        #expect(metrics.recordCount("mfad_request_duration_seconds", [("rpc", "Ping"), ("outcome", "OK")]) == 1_001)
        #expect(metrics.value("mfad_requests_in_flight") == 0)
        #expect(metrics.madePerMetric.values.allSatisfy { $0 == 1 })
    }

    @Test func aPendingAnswerIsCountedBeforeTheConnectionSeesIt() throws {
        let metrics = CountingMetricsFactory()
        let gate = GatedDispatcher()
        let dispatcher = InstrumentedDispatcher(next: gate, factory: metrics)
        let loop = EmbeddedEventLoop()
        guard case .pending(let future) = dispatcher.dispatch(.ping(PingRequest(payload: [1])),
                                                              context: ImmediateAnswerTests.context(on: loop)) else {
            Issue.record("the gated ping was answered at once")
            return
        }
        #expect(metrics.value("mfad_requests_in_flight") == 1)
        let countedWhenAnswered = NIOLockedValueBox<Double?>(nil)
        future.whenComplete { _ in
            countedWhenAnswered.withLockedValue {
                $0 = metrics.value("mfad_requests_total", [("rpc", "Ping"), ("outcome", "OK")])
            }
        }
        gate.releaseAll()
        loop.run()
        #expect(countedWhenAnswered.withLockedValue { $0 } == 1)
        #expect(metrics.value("mfad_requests_in_flight") == 0)
    }

    @Test func requestsRejectedBeforeDispatchShareOneCounterPerCode() throws {
        let metrics = CountingMetricsFactory()
        let server = ServerMetrics(factory: metrics)
        let connection = try EmbeddedConnection(dispatcher: SystemDispatcher(version: "test"), metrics: server,
                                                requireAuthentication: true)
        for batch in 0..<10 {
            try connection.send((0..<100).map { index in
                Request(id: UInt64(batch * 100 + index), protocolVersion: index % 2 == 0 ? 1 : 7, call: .ping(PingRequest()))
            })
        }
        #expect(try connection.flushedResponses().count == 1_000)
        #expect(metrics.value("mfad_requests_rejected_total", [("code", "UNAUTHENTICATED")]) == 500)
        #expect(metrics.value("mfad_requests_rejected_total", [("code", "UNSUPPORTED_VERSION")]) == 500)
        #expect(metrics.handlesMade == 2, "\(metrics.madePerMetric)")
    }

    @Test func connectionsOverRealTCPMakeTheirMetricsOnce() async throws {
        let metrics = CountingMetricsFactory()
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.requireAuthentication = false
        configuration.maximumConnections = 3
        let server = MFAServer(configuration: configuration, dispatcher: SystemDispatcher(version: "test"),
                               metricsFactory: metrics, logger: logger)
        let port = try #require(try await server.start().port)
        for _ in 0..<3 {
            // The last round's connections are gone on the server's side too.
            let deadline = ContinuousClock.now + .seconds(10)
            while metrics.value("mfad_connections_open") ?? 0 > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            do {
                // One at a time, each served before the next (accepts run on several loops).
                var served: [RawConnection] = []
                for _ in 0..<3 {
                    let connection = try RawConnection(port: port, receiveTimeoutSeconds: 5)
                    try connection.send(Request(id: 1, protocolVersion: 1, call: .ping(PingRequest())))
                    _ = try connection.readResponse()
                    served.append(connection)
                }
                // The fourth is over the maximum: one UNAVAILABLE, then a close.
                let refused = try RawConnection(port: port, receiveTimeoutSeconds: 5)
                #expect(try refused.readResponse().requireError().code == .unavailable)
                #expect(served.count == 3)
            }  // all closed here
        }
        await server.shutdown()
        #expect(metrics.value("mfad_connections_total") == 9)
        #expect(metrics.value("mfad_connections_refused_total") == 3)
        #expect(metrics.value("mfad_connections_open") == 0)
        #expect(metrics.madePerMetric == [
            CountingMetricsFactory.Key("mfad_connections_total"): 1,
            CountingMetricsFactory.Key("mfad_connections_refused_total"): 1,
            CountingMetricsFactory.Key("mfad_connections_open"): 1,
        ])
    }
}
