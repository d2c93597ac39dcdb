import MFAConformance
import Foundation
import MFAClient
import MFAWire
import Testing

/// The `mfad` executable itself: starts, answers, and stops cleanly on signals.
@Suite struct LifecycleTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func exitsZeroOnSignalAfterAnsweringInFlightRequests(signal: Int32) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-lifecycle-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let mfad = try await MfadProcess(["--dev", "--db", directory.appendingPathComponent("mfa.sqlite").path])
        // 200 pipelined pings, every byte written before the signal (one send: the client's own
        // scheduling cannot delay a request past the drain), then the signal while they are in
        // flight: each is answered, with its payload or UNAVAILABLE (read after the drain began),
        // and then the server closes the connection.
        let connection = try FrameConnection(port: mfad.port)
        var frames: [UInt8] = []
        for index in 1...200 {
            let body = try Request(id: UInt64(index), protocolVersion: 1,
                                   call: .ping(PingRequest(payload: Array("\(index)".utf8)))).serializedBytes()
            frames += ScenarioSession.lengthPrefix(body.count) + body
        }
        try connection.send(frames)
        kill(mfad.process.processIdentifier, signal)
        var answered: Set<UInt64> = []
        for _ in 1...200 {
            let response = try Response(serializedBytes: Array(try connection.readFrame().dropFirst(4)))
            switch response.result {
            case .ping(let ping):
                #expect(ping.payload == Array("\(response.id)".utf8))
            case .error(let error):
                #expect(error.code == .unavailable, "request \(response.id): \(error.message)")
            default:
                Issue.record("request \(response.id): unexpected \(response.textFormat)")
            }
            answered.insert(response.id)
        }
        #expect(answered == Set(1...200))
        #expect(try await mfad.waitForExit() == 0)
    }
}
