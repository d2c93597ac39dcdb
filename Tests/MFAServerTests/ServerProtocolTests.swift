import MFAClient
import MFAServer
import MFACore
import MFAWire
import NIOCore
import Testing

/// The server's protocol behaviour over real loopback TCP.
@Suite struct ServerProtocolTests {
    @Test func pingEchoesThePayload() async throws {
        let server = try await TestServer.start()
        let client = try await server.client()
        let payload: [UInt8] = [0, 1, 2, 3, 0xFF]
        let response = try await client.ping(PingRequest(payload: payload))
        #expect(response.payload == payload)
        let info = try await client.serverInfo()
        #expect(info.protocolVersion == 1)
        #expect(info.version == "test")
        #expect(info.rpcs == ["Ping", "ServerInfo"])
        await client.close()
        await server.stop()
    }

    @Test func thousandPipelinedRequestsComeBackMatchedById() async throws {
        let server = try await TestServer.start(dispatcher: ShuffledDispatcher())
        let connection = try server.raw()
        // Write all 1,000 requests before reading any answer.
        var bytes: [UInt8] = []
        var generator = SplitMix64(seed: 3)
        var expected: [UInt64: [UInt8]] = [:]
        for id in UInt64(1)...1000 {
            let payload = [UInt8(truncatingIfNeeded: generator.next())] + Array("request-\(id)".utf8)
            expected[id] = payload
            let body = try Request(id: id, protocolVersion: 1, call: .ping(PingRequest(payload: payload))).serializedBytes()
            bytes += RawConnection.lengthPrefix(body.count) + body
        }
        try connection.send(bytes)
        var order: [UInt64] = []
        for _ in 0..<1000 {
            let response = try connection.readResponse()
            guard case .ping(let pong)? = response.result else {
                Issue.record("response \(response.id) is not a ping: \(String(describing: response.result))")
                return
            }
            #expect(expected.removeValue(forKey: response.id) == pong.payload, "id \(response.id)")
            order.append(response.id)
        }
        #expect(expected.isEmpty)
        #expect(order != order.sorted(), "handlers with random delays must finish out of order")
        await server.stop()
    }

    @Test func pipelinedCallsThroughTheClientMatch() async throws {
        let server = try await TestServer.start(dispatcher: ShuffledDispatcher())
        let client = try await server.client()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<300 {
                group.addTask {
                    let payload = [UInt8(index % 251)] + Array("\(index)".utf8)
                    let pong = try await client.ping(PingRequest(payload: payload))
                    #expect(pong.payload == payload)
                }
            }
            try await group.waitForAll()
        }
        await client.close()
        await server.stop()
    }

    @Test func oversizedLengthGetsAnErrorAndACloseWhileOthersKeepWorking() async throws {
        let server = try await TestServer.start()
        let bystander = try await server.client()
        let connection = try server.raw()
        try connection.send([0xFF, 0xFF, 0xFF, 0xFF])
        let response = try connection.readResponse()
        let error = try response.requireError()
        #expect(error.code == .frameTooLarge)
        #expect(error.message.contains("4294967295"))
        #expect(connection.isClosedByServer())
        #expect(try await bystander.ping(PingRequest(payload: [1])).payload == [1])
        await bystander.close()
        await server.stop()
    }

    @Test func unknownCallAnswersUnimplemented() async throws {
        let server = try await TestServer.start()
        let connection = try server.raw()
        // id=5, version=1, field 99 (length-delimited, empty): a call from a newer protocol.
        let body: [UInt8] = [0x08, 0x05, 0x10, 0x01, 0x9A, 0x06, 0x00]
        try connection.send(RawConnection.lengthPrefix(body.count) + body)
        let response = try connection.readResponse()
        #expect(response.id == 5)
        let error = try response.requireError()
        #expect(error.code == .unimplemented)
        // The connection stays usable.
        try connection.send(Request(id: 6, protocolVersion: 1, call: .ping(PingRequest(payload: [6]))))
        #expect(try connection.readResponse() == Response(id: 6, result: .ping(PingResponse(payload: [6]))))
        await server.stop()
    }

    @Test func invalidUTF8OrNULInAStringFieldAnswersInvalidArgumentAndKeepsTheConnection() async throws {
        let server = try await TestServer.start()
        let connection = try server.raw()
        // id=3, version=1, login (field 21, key 0xAA 0x01) { email (field 1) = <bad> }
        for (bad, word) in [([UInt8(0xFF)], "UTF-8"), ([0x61, 0x00, 0x62], "NUL")] {
            let login: [UInt8] = [0x0A, UInt8(bad.count)] + bad
            let body: [UInt8] = [0x08, 0x03, 0x10, 0x01, 0xAA, 0x01, UInt8(login.count)] + login
            try connection.send(RawConnection.lengthPrefix(body.count) + body)
            let response = try connection.readResponse()
            #expect(response.id == 3)
            let error = try response.requireError()
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("LoginRequest.email"))
            #expect(error.message.contains(word))
        }
        try connection.send(Request(id: 4, protocolVersion: 1, call: .ping(PingRequest(payload: [4]))))
        #expect(try connection.readResponse() == Response(id: 4, result: .ping(PingResponse(payload: [4]))))
        await server.stop()
    }

    @Test func unknownProtocolVersionAnswersUnsupportedVersion() async throws {
        let server = try await TestServer.start()
        let connection = try server.raw()
        for version: UInt32 in [0, 2, 99] {
            try connection.send(Request(id: 9, protocolVersion: version, call: .ping(PingRequest())))
            let response = try connection.readResponse()
            let error = try response.requireError()
            #expect(response.id == 9)
            #expect(error.code == .unsupportedVersion)
        }
        await server.stop()
    }

    @Test func malformedEnvelopeGetsAnErrorAndAClose() async throws {
        let server = try await TestServer.start()
        let connection = try server.raw()
        let body: [UInt8] = [0x08, 0x07, 0x52, 0x09, 0x01]
        try connection.send(RawConnection.lengthPrefix(body.count) + body)
        let response = try connection.readResponse()
        #expect(response.id == 7)
        let error = try response.requireError()
        #expect(error.code == .malformedFrame)
        #expect(connection.isClosedByServer())
        await server.stop()
    }

    @Test func randomGarbageNeverBringsTheServerDown() async throws {
        let server = try await TestServer.start { $0.frameTimeout = .milliseconds(200) }
        var generator = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let connection = try server.raw(receiveTimeoutSeconds: 2)
            let length = Int(generator.next() % 64)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if generator.next() % 2 == 0 {
                // A plausible small length prefix so the garbage reaches the envelope decoder.
                bytes = RawConnection.lengthPrefix(bytes.count) + bytes
            }
            try? connection.send(bytes)
        }
        let client = try await server.client()
        #expect(try await client.ping(PingRequest(payload: [42])).payload == [42])
        await client.close()
        await server.stop()
    }

    @Test func halfSentFrameTimesOut() async throws {
        let server = try await TestServer.start { $0.frameTimeout = .milliseconds(300) }
        let connection = try server.raw(receiveTimeoutSeconds: 5)
        try connection.send([0, 0, 0, 10, 1, 2])
        let response = try connection.readResponse()
        let error = try response.requireError()
        #expect(error.code == .malformedFrame)
        #expect(connection.isClosedByServer())
        await server.stop()
    }

    @Test func idleConnectionIsClosed() async throws {
        let server = try await TestServer.start { $0.idleTimeout = .milliseconds(300) }
        let connection = try server.raw(receiveTimeoutSeconds: 5)
        try connection.send(Request(id: 1, protocolVersion: 1, call: .ping(PingRequest())))
        _ = try connection.readResponse()
        #expect(connection.isClosedByServer())
        await server.stop()
    }

    @Test func gracefulShutdownAnswersInFlightRequests() async throws {
        let server = try await TestServer.start(dispatcher: ShuffledDispatcher())
        let connection = try server.raw()
        var bytes: [UInt8] = []
        for id in UInt64(1)...50 {
            let body = try Request(id: id, protocolVersion: 1, call: .ping(PingRequest(payload: [19]))).serializedBytes()
            bytes += RawConnection.lengthPrefix(body.count) + body
        }
        try connection.send(bytes)
        // Give the server a moment to read them, then stop while they are in flight (19 ms each).
        try await Task.sleep(for: .milliseconds(5))
        let stopping = Task { await server.stop() }
        var answered = 0
        while let response = try? connection.readResponse() {
            if case .ping? = response.result { answered += 1 }
        }
        await stopping.value
        #expect(answered == 50)
        #expect(throws: (any Error).self) { try server.raw() }
    }
}
