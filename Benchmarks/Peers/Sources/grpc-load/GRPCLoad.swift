import ArgumentParser
import Foundation
import GRPCBench
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Histogram
import MFALoad
import MFAWire

/// Drives grpc-peer the way mfa-load drives mfad (closed loop: connections x calls in flight,
/// each call's latency into an HdrHistogram) and writes the same report and JSON.
@main
struct GRPCLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grpc-load", abstract: "Load grpc-peer and report like mfa-load.")

    @Option(help: "Server address HOST:PORT.")
    var server = "127.0.0.1:7381"

    @Option(help: "Connections (one gRPC client, one HTTP/2 connection each).")
    var connections = 8

    @Option(help: "Calls in flight per connection.")
    var inFlight = 4

    @Option(help: "Seconds to measure.")
    var duration = 5.0

    @Option(help: "Seconds of load before measuring.")
    var warmup = 0.0

    @Option(help: "ping or validate-session.")
    var mix = "ping"

    @Option(help: "Write the summary as JSON to this file.")
    var json: String?

    func run() async throws {
        guard duration > 0, duration <= 600 else { throw ValidationError("--duration must be more than 0 and at most 600") }
        guard let scenario = Scenario(rawValue: mix), scenario == .ping || scenario == .validateSession else {
            throw ValidationError("--mix must be ping or validate-session")
        }
        guard let colon = server.lastIndex(of: ":"), let port = Int(server[server.index(after: colon)...]) else {
            throw ValidationError("--server must be HOST:PORT")
        }
        let host = String(server[..<colon])
        let method = scenario == .ping ? GRPCBench.ping : GRPCBench.validateSession
        let bodies: [[UInt8]] = scenario == .ping
            ? [try PingRequest(payload: Array(repeating: 0x2A, count: 16)).serializedBytes()]
            : try (0..<GRPCBench.sessionCount).map { try ValidateSessionRequest(sessionToken: GRPCBench.token($0)).serializedBytes() }
        let inFlight = self.inFlight
        let clock = ContinuousClock()
        let start = clock.now
        let measureFrom = start + .seconds(warmup)
        let end = measureFrom + .seconds(duration)

        let clients = try (0..<connections).map { _ in
            GRPCClient(transport: try HTTP2ClientTransport.Posix(target: .ipv4(address: host, port: port), transportSecurity: .plaintext))
        }
        let (stats, allRequests): (ScenarioStats, Int) = try await withThrowingTaskGroup(of: (ScenarioStats, Int)?.self) { group in
            for client in clients {
                group.addTask { try await client.runConnections(); return nil }
            }
            var workers = 0
            for (c, client) in clients.enumerated() {
                for slot in 0..<inFlight {
                    workers += 1
                    group.addTask {
                        var stats = ScenarioStats()
                        var sentAll = 0
                        var index = c * inFlight + slot
                        while clock.now < end {
                            let sent = clock.now
                            var failure: String?
                            do {
                                _ = try await client.unary(request: ClientRequest(message: bodies[index % bodies.count]), descriptor: method,
                                                           serializer: RawBytesCodec(), deserializer: RawBytesCodec(),
                                                           options: .defaults) { try $0.message }
                            } catch let rpc as RPCError {
                                failure = "GRPC_\(rpc.code)"
                            } catch {
                                failure = "CONNECTION"
                            }
                            index += 1
                            sentAll += 1
                            if sent >= measureFrom {
                                let elapsed = sent.duration(to: clock.now)
                                let ns = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
                                stats.record(nanoseconds: UInt64(max(0, ns)), requests: 1, error: failure)
                            }
                        }
                        return (stats, sentAll)
                    }
                }
            }
            var merged = ScenarioStats()
            var all = 0
            var finished = 0
            while let result = try await group.next() {
                guard let result else { continue }
                merged.merge(result.0)
                all += result.1
                finished += 1
                if finished == workers { break }
            }
            for client in clients { client.beginGracefulShutdown() }
            try await group.waitForAll()
            return (merged, all)
        }
        let elapsed = Double((clock.now - measureFrom).components.seconds)
            + Double((clock.now - measureFrom).components.attoseconds) / 1e18
        var report = LoadReport(
            settings: .init(server: server, target: "grpc", mix: "\(scenario.rawValue):1", connections: connections, inFlight: inFlight,
                            rate: nil, durationSeconds: duration, operationsLimit: nil),
            elapsedSeconds: min(elapsed, duration + 1), stats: [scenario: stats])
        report.requestsIncludingWarmup = allRequests
        print(report.text)
        if let json { try report.json().write(to: URL(fileURLWithPath: json)) }
    }
}
