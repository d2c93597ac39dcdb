import Foundation
import Testing
@testable import MFALoad

@Suite struct LoadReportTests {
    func sampleStats() -> [Scenario: ScenarioStats] {
        var ping = ScenarioStats()
        for micros in 1...1_000 { ping.record(nanoseconds: UInt64(micros) * 1_000, requests: 1) }
        var wrong = ScenarioStats()
        wrong.record(nanoseconds: 2_000_000, requests: 1, error: "ERROR_CODE_LOCKED", expected: true)
        wrong.record(nanoseconds: 3_000_000, requests: 1, error: "CONNECTION", expected: false)
        return [.ping: ping, .wrongCode: wrong]
    }

    let settings = LoadReport.Settings(server: "127.0.0.1:7370", target: "mfad", mix: "ping:1,wrong-code:1",
                                       connections: 8, inFlight: 4, rate: nil, durationSeconds: 2, operationsLimit: nil)

    @Test func totalsRatesAndPercentiles() {
        let report = LoadReport(settings: settings, elapsedSeconds: 2, stats: sampleStats())
        #expect(report.operations == 1_002)
        #expect(report.requestsPerSecond == 501)
        #expect(report.errors == ["ERROR_CODE_LOCKED": 1, "CONNECTION": 1])
        #expect(report.unexpectedErrors == 1)
        let ping = report.scenarios["ping"]!
        #expect(abs(ping.latency.p50 - 500) <= 1)
        #expect(abs(ping.latency.p99 - 990) <= 1)
        #expect(abs(ping.latency.max - 1_000) <= 1)
    }

    @Test func textHasOneRowPerScenarioAndAll() {
        let text = LoadReport(settings: settings, elapsedSeconds: 2, stats: sampleStats()).text
        #expect(text.contains("closed loop"))
        #expect(text.contains("errors: CONNECTION 1, ERROR_CODE_LOCKED 1 (1 unexpected)"))
        let rows = text.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("ping ") })
        #expect(rows.contains { $0.hasPrefix("wrong-code ") })
        #expect(rows.contains { $0.hasPrefix("all ") })
    }

    @Test func jsonUsesSnakeCaseAndMicroseconds() throws {
        let data = try LoadReport(settings: settings, elapsedSeconds: 2, stats: sampleStats()).json()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["requests_per_second"] as? Double == 501)
        let latency = try #require(object["latency"] as? [String: Any])
        #expect(latency["p99_9_us"] != nil)
        let decoded = try JSONDecoder().decode(LoadReport.self, from: data)
        #expect(decoded.scenarios.keys.sorted() == ["ping", "wrong-code"])
    }

    @Test func numbersAndProgressLine() {
        #expect(LoadReport.number(1_234_567) == "1,234,567")
        #expect(LoadReport.number(999) == "999")
        #expect(LoadReport.progressLine(second: 3, requests: 120_000, operations: 60_000, errors: 0, inFlight: 32)
                == "[   3s] 120,000 req/s, 60,000 ops/s, 0 errors, 32 in flight")
    }
}
