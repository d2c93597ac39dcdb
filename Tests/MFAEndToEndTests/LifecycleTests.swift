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
        let client = try await mfad.client()
        let pid = mfad.process.processIdentifier
        // Pipelined pings in flight while the signal arrives all get their answers.
        let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask {
                    do {
                        let payload = Array("\(index)".utf8)
                        return try await client.ping(PingRequest(payload: payload)).payload == payload
                    } catch let error as MFAClientError where error.code == .unavailable {
                        return true  // sent after the drain began: refused cleanly, not dropped
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(2))
                kill(pid, signal)
                return true
            }
            var all = true
            for try await ok in group { all = all && ok }
            return all
        }
        #expect(answered)
        #expect(try await mfad.waitForExit() == 0)
    }
}
