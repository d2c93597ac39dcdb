import MFAServer
import MFAWire
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Answers pings only when the test releases them, and counts how many it was handed.
final class GatedDispatcher: RequestDispatcher, Sendable {
    let supportedRPCs = ["Ping"]
    private let held = NIOLockedValueBox<[(EventLoopPromise<Response.Result>, [UInt8])]>([])

    var dispatchedCount: Int { held.withLockedValue { $0.count } }

    func dispatch(_ call: Request.Call, context: RequestContext) -> DispatchOutcome {
        guard case .ping(let ping) = call else { return .answered(.error(.make(.unimplemented, "ping only"))) }
        let promise = context.eventLoop.makePromise(of: Response.Result.self)
        held.withLockedValue { $0.append((promise, ping.payload)) }
        return .pending(promise.futureResult)
    }

    /// Answers every ping handed over so far.
    func releaseAll() {
        let pending = held.withLockedValue { pending in
            defer { pending.removeAll() }
            return pending
        }
        for (promise, payload) in pending { promise.succeed(.ping(PingResponse(payload: payload))) }
    }
}

@Suite struct ServerLimitTests {
    @Test func aConnectionAtItsInFlightLimitIsNotReadFurther() async throws {
        let gate = GatedDispatcher()
        let server = try await TestServer.start(dispatcher: gate) { $0.maximumInFlightPerConnection = 4 }
        let connection = try server.raw()
        var bytes: [UInt8] = []
        for id in UInt64(1)...10 {
            let body = try Request(id: id, protocolVersion: 1, call: .ping(PingRequest(payload: [UInt8(id)]))).serializedBytes()
            bytes += RawConnection.lengthPrefix(body.count) + body
        }
        try connection.send(bytes)
        try await Task.sleep(for: .milliseconds(200))
        #expect(gate.dispatchedCount == 4, "only the in-flight limit reaches the dispatcher")
        var answered = Set<UInt64>()
        while answered.count < 10 {
            gate.releaseAll()
            let response = try connection.readResponse()
            answered.insert(response.id)
        }
        #expect(answered == Set(1...10))
        await server.stop()
    }

    @Test func connectionsOverTheMaximumGetUnavailableAndAClose() async throws {
        let server = try await TestServer.start { $0.maximumConnections = 2 }
        let first = try await server.client()
        let second = try await server.client()
        _ = try await first.ping(PingRequest())
        _ = try await second.ping(PingRequest())
        let third = try server.raw()
        let error = try third.readResponse().requireError()
        #expect(error.code == .unavailable)
        #expect(third.isClosedByServer())
        await first.close()
        try await Task.sleep(for: .milliseconds(100))
        let again = try await server.client()
        #expect(try await again.ping(PingRequest(payload: [9])).payload == [9])
        await again.close()
        await second.close()
        await server.stop()
    }

    @Test func anHTTPRequestGetsAPlainTextHintAndAClose() async throws {
        let server = try await TestServer.start()
        let connection = try server.raw()
        try connection.send(Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        var text: [UInt8] = []
        while let byte = try? connection.read(1) { text += byte }
        #expect(String(decoding: text, as: UTF8.self).hasPrefix("mfad speaks length-prefixed protobuf frames"))
        #expect(text.last == UInt8(ascii: "\n"))
        await server.stop()
    }
}
