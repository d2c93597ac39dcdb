import Benchmark
import Foundation
import MFACore
import MFAStore
import MFAWire
import NIOCore

// The per-request pieces of mfad, one at a time: framing, the envelope codec (protobuf-c), the
// code checks of VerifyMfa, and one durable store write (the group-commit writer with nothing
// to group: the fsync floor).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 10,
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )

    let ping = Request(id: 42, protocolVersion: ProtocolVersion.current, call: .ping(PingRequest(payload: Array(repeating: 0x2A, count: 16))))
    let validate = Request(id: 43, protocolVersion: ProtocolVersion.current,
                           call: .validateSession(ValidateSessionRequest(sessionToken: String(repeating: "A", count: 43))))
    let validated = Response(id: 43, result: .validateSession(ValidateSessionResponse(
        accountID: "q83vEjRWeJq83vEjRWeJqw", email: "ada@example.com", plan: "pro", workspace: "acme", expiresUnix: 1_767_268_800)))

    Benchmark("Frame encode: Ping request (length + protobuf-c pack)") { benchmark in
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        for _ in benchmark.scaledIterations {
            buffer.clear()
            try buffer.writeFrame(ping)
            blackHole(buffer)
        }
    }

    Benchmark("Frame decode: FrameDecoder over 64 pipelined frames") { benchmark in
        var stream = ByteBufferAllocator().buffer(capacity: 64 * 40)
        for _ in 0..<64 { try stream.writeFrame(ping) }
        let decoder = FrameDecoder()
        for _ in benchmark.scaledIterations {
            var buffer = stream
            while let frame = try decoder.decode(&buffer) { blackHole(frame) }
        }
    }

    Benchmark("Envelope unwrap: Request (ValidateSession) from bytes") { benchmark in
        let bytes = try validate.serializedBytes()
        for _ in benchmark.scaledIterations {
            blackHole(try Request(serializedBytes: bytes))
        }
    }

    Benchmark("Envelope wrap: Response (ValidateSession) to bytes") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try validated.serializedBytes())
        }
    }

    Benchmark("TOTP verification (SHA1, 6 digits, ±1 step)") { benchmark in
        let totp = TOTP(parameters: .standard)
        let secret = Array("12345678901234567890".utf8)
        let now = Timestamp(unixSeconds: 1_767_225_600)
        let code = totp.code(secret: secret, at: now - 30)  // found on the first of three steps
        for _ in benchmark.scaledIterations {
            blackHole(totp.verify(code: code, secret: secret, now: now, lastUsedStep: nil))
        }
    }

    Benchmark("Email code check (normalize, keyed digest, constant-time compare)") { benchmark in
        let digester = SecretDigester(key: Array(repeating: 7, count: 32))
        let stored = digester.digest(.emailCode, "ABC234", context: "challenge-id")
        let codes = EmailCode()
        for _ in benchmark.scaledIterations {
            let normalized = codes.normalize("abc 234") ?? ""
            blackHole(SecretDigester.matches(digester.digest(.emailCode, normalized, context: "challenge-id"), stored))
        }
    }

    Benchmark("Store: one write transaction (WAL, synchronous=FULL)",
              configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(2), maxIterations: 2_000)) { benchmark in
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-micro-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let storage = try await SQLiteMFAStorage.open(path: folder.appendingPathComponent("bench.sqlite").path)
        var counter = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            counter += 1
            let value = "\(counter)"
            try await storage.write { tx in try tx.setSetting("micro-benchmark", value) }
        }
        benchmark.stopMeasurement()
        await storage.close()
    }
}
