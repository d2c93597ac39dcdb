import Foundation
import MFAConformance
import MFAWire
import NIOCore
import Testing
@testable import MFAClient

/// The recorded exchanges in `Tests/Conformance/exchanges` hold against the server and the Swift
/// client, and the harness notices when they do not.
@Suite(.serialized) struct ConformanceTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Conformance/exchanges")

    private func recorded() throws -> [Exchange] {
        let exchanges = try ExchangeDirectory.load(Self.directory)
        #expect(exchanges.count >= 10, "expected the recorded exchanges in \(Self.directory.path)")
        return exchanges
    }

    @Test func everyExchangeReplaysAgainstAFreshServer() async throws {
        for exchange in try recorded() {
            let mismatch = try await Replayer.replay(exchange)
            #expect(mismatch == nil, "\(mismatch.map(String.init(describing:)) ?? "")")
        }
    }

    @Test func changingOneByteOfAServerFrameFailsWithAReadableDiff() async throws {
        for exchange in try recorded() {
            let serverSteps = exchange.steps.indices.filter { if case .server = exchange.steps[$0] { true } else { false } }
            guard let step = serverSteps.dropFirst(serverSteps.count / 2).first, case .server(var frame) = exchange.steps[step] else {
                Issue.record("\(exchange.name) has no server frame")
                continue
            }
            frame[frame.count - 1] ^= 0x01
            var tampered = exchange
            tampered.steps[step] = .server(frame)
            let mismatch = try #require(try await Replayer.replay(tampered), "a changed byte in \(exchange.name) went unnoticed")
            #expect(mismatch.exchange == exchange.name)
            #expect(mismatch.description.contains("first difference:"))
            #expect(mismatch.description.contains("expected:") && mismatch.description.contains("actual:"))
        }
    }

    @Test func recordingFromScratchGivesTheCommittedFilesAgain() async throws {
        let committed = try recorded()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("exchanges-\(UUID())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let again = try await Recorder.recordAll(into: scratch)
        for exchange in again {
            let file = try String(contentsOf: Self.directory.appendingPathComponent("\(exchange.name).exchange"), encoding: .utf8)
            #expect(file == exchange.text, "\(exchange.name).exchange is not what recording gives: run make conformance-record")
        }
        #expect(Set(again.map(\.name)) == Set(committed.map(\.name)))
    }

    @Test func coverageHoldsAndNoticesAGap() throws {
        let exchanges = try recorded()
        #expect(Coverage.problems(in: exchanges) == [])
        // Without the exchanges that show a lock, LOCKED is no longer covered.
        let withoutLocks = exchanges.filter { !$0.name.hasPrefix("lock") && $0.name != "totp" && $0.name != "mfa-changes" }
        #expect(Coverage.problems(in: withoutLocks).contains("no exchange shows ERROR_CODE_LOCKED"))
        #expect(Coverage.problems(in: []).contains("no exchange shows a successful Ping"))
    }

    @Test func theFileFormatRoundTrips() throws {
        for exchange in try recorded() {
            #expect(try Exchange(name: exchange.name, text: exchange.text) == exchange)
        }
    }

    @Test func theSwiftClientEncodesEveryRecordedRequestAndDecodesEveryResponse() throws {
        var requests = 0
        var responses = 0
        for exchange in try recorded() {
            for step in exchange.steps {
                switch step {
                case .client(let frame):
                    // Frames the scenario broke on purpose are not a client's to produce.
                    guard let body = FrameText.body(frame), let request = try? Request(serializedBytes: body),
                          let call = request.call, request.protocolVersion == ProtocolVersion.current else { continue }
                    var buffer = ByteBuffer()
                    try ClientHandler.encode(call, id: request.id, into: &buffer)
                    #expect(Array(buffer.readableBytesView) == frame, "\(exchange.name): request \(request.id)")
                    requests += 1
                case .server(let frame):
                    guard let body = FrameText.body(frame) else { continue }
                    let response = try ClientHandler.decode(ByteBuffer(bytes: body))
                    #expect(try response.serializedBytes() == body, "\(exchange.name): response \(response.id)")
                    #expect(response.result != nil)
                    responses += 1
                default:
                    continue
                }
            }
        }
        #expect(requests > 100)
        #expect(responses > 100)
    }
}
