import Foundation
import MFAConformance
import MFAFuzzHarness
import MFAWire
import Testing

/// Replays the pinned fuzz inputs under `Tests/Fuzz/regressions/<target>/`, and the conformance
/// exchanges the fuzzers are seeded from, through the same harness functions the libFuzzer
/// targets call. A broken invariant or a crash stops the test process (as it stops the fuzzer);
/// the message starts with "fuzz invariant broken" when the harness caught it.
@Suite("Fuzz regressions")
struct RegressionReplayTests {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let regressions = testsDirectory.appendingPathComponent("Fuzz/regressions").path
    static let exchanges = testsDirectory.appendingPathComponent("Conformance/exchanges").path

    static func inputs(_ target: String) -> [String] {
        (try? FuzzInput.files(in: regressions + "/" + target)) ?? []
    }

    static func exchangeFiles() -> [String] {
        ((try? FuzzInput.files(in: exchanges)) ?? []).filter { $0.hasSuffix(".exchange") }
    }

    static func clientFrames(_ path: String) throws -> [[UInt8]] {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let exchange = try Exchange(name: name, text: String(contentsOfFile: path, encoding: .utf8))
        return exchange.steps.compactMap { step in
            if case .client(let frame) = step { frame } else { nil }
        }
    }

    @Test("every target has pinned inputs, and each file reads", arguments: ["frames", "dispatch"])
    func pinnedInputsExist(target: String) throws {
        let files = Self.inputs(target)
        #expect(files.count >= 5, "expected regression inputs in \(Self.regressions)/\(target)")
        for file in files {
            _ = try FuzzInput.bytes(atPath: file)
        }
    }

    @Test("frames: pinned input", arguments: inputs("frames"))
    func frames(path: String) throws {
        let input = try FuzzInput.bytes(atPath: path)
        input.withUnsafeBytes { FrameFuzzHarness.run($0) }
    }

    @Test("dispatch: pinned input, on a fresh environment", arguments: inputs("dispatch"))
    func dispatch(path: String) async throws {
        let input = try FuzzInput.bytes(atPath: path)
        let harness = try await DispatchFuzzHarness.make()
        await harness.run(input)
        await harness.close()
    }

    @Test("frames: each exchange's client stream (the seeds)", arguments: exchangeFiles())
    func exchangeStream(path: String) throws {
        let frames = try Self.clientFrames(path)
        #expect(!frames.isEmpty)
        for frame in frames {
            frame.withUnsafeBytes { FrameFuzzHarness.run($0) }
        }
        let stream = frames.flatMap { $0 }
        stream.withUnsafeBytes { FrameFuzzHarness.run($0) }
    }

    @Test("dispatch: each exchange's client frame bodies in order (the seeds)", arguments: exchangeFiles())
    func exchangeBodies(path: String) async throws {
        let harness = try await DispatchFuzzHarness.make()
        for frame in try Self.clientFrames(path) {
            await harness.run(Array(frame.dropFirst(4)))
        }
        await harness.close()
    }

    @Test("the harness registers the conformance API key, and really dispatches")
    func conformanceKey() async throws {
        #expect(DispatchFuzzHarness.service == ConformanceServer.service)
        #expect(DispatchFuzzHarness.apiKey == ConformanceServer.apiKey)
        let harness = try await DispatchFuzzHarness.make()
        let authenticate = Request(id: 1, protocolVersion: 1, call: .authenticate(AuthenticateRequest(
            service: ConformanceServer.service, apiKey: ConformanceServer.apiKey)))
        let answer = await harness.run(try authenticate.serializedBytes())
        #expect(answer == Response(id: 1, result: .authenticate(AuthenticateResponse(service: ConformanceServer.service))))
        let ping = Request(id: 2, call: .ping(PingRequest(payload: [1, 2, 3])))
        #expect(await harness.run(try ping.serializedBytes()) == Response(id: 2, result: .ping(PingResponse(payload: [1, 2, 3]))))
        await harness.close()
    }

    @Test("the .hex format: comments, any whitespace, bad tokens named")
    func hexFormat() throws {
        #expect(try FuzzInput.parseHex("00 01\tff # a comment 12\n\n  7f") == [0x00, 0x01, 0xff, 0x7f])
        #expect(throws: FuzzInput.FormatError.self) { try FuzzInput.parseHex("0g") }
        #expect(throws: FuzzInput.FormatError.self) { try FuzzInput.parseHex("123") }
    }
}
