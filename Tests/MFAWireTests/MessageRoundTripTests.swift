import MFAWire
import Testing

/// Every field kind goes through the protoc-c structs and back unchanged.
@Suite struct MessageRoundTripTests {
    @Test func bytesFieldRoundTrips() throws {
        let payload: [UInt8] = [0, 1, 2, 0xFF, 0, 0x80]
        let request = Request(id: 42, protocolVersion: 1, call: .ping(PingRequest(payload: payload)))
        let decoded = try Request(serializedBytes: request.serializedBytes())
        #expect(decoded == request)
        guard case .ping(let ping)? = decoded.call else {
            Issue.record("expected a ping call, got \(String(describing: decoded.call))")
            return
        }
        #expect(ping.payload == payload)
    }

    @Test func stringsEnumsNestedAndOneofRoundTrip() throws {
        let error = ErrorDetails(code: .locked, message: "You've reached the maximum amount of attempts. Ünïcödé ✓",
                                 attemptsRemaining: 0, retryAfterSeconds: 300)
        let response = Response(id: .max, result: .error(error))
        let decoded = try Response(serializedBytes: response.serializedBytes())
        #expect(decoded == response)
        #expect(decoded.id == UInt64.max)
    }

    @Test func repeatedStringsAndScalarsRoundTrip() throws {
        let info = ServerInfoResponse(version: "1.2.3", protocolVersion: 1, uptimeSeconds: 1 << 40,
                                      testMode: true, rpcs: ["Ping", "", "ServerInfo", "日本語"])
        let decoded = try ServerInfoResponse(serializedBytes: info.serializedBytes())
        #expect(decoded == info)
        #expect(decoded.rpcs.count == 4)
    }

    @Test func defaultsEncodeToNothingAndDecodeBack() throws {
        #expect(try PingRequest().serializedBytes().isEmpty)
        #expect(try Request(serializedBytes: [UInt8]()) == Request())
        #expect(try Response(serializedBytes: [UInt8]()).result == nil)
    }

    @Test func unknownEnumValuesArePreserved() throws {
        // field 1 (code) = 999 as a varint
        let bytes: [UInt8] = [0x08, 0xE7, 0x07]
        let decoded = try ErrorDetails(serializedBytes: bytes)
        #expect(decoded.code == .unrecognized(999))
        #expect(try decoded.serializedBytes() == bytes)
    }

    @Test func encodingMatchesTheProtobufWireFormat() throws {
        // id=1 (08 01), protocol_version=1 (10 01), ping=field 10 (52) len 3 { payload=field 1 (0a) len 1 "x" }
        let request = Request(id: 1, protocolVersion: 1, call: .ping(PingRequest(payload: Array("x".utf8))))
        #expect(try request.serializedBytes() == [0x08, 0x01, 0x10, 0x01, 0x52, 0x03, 0x0A, 0x01, 0x78])
    }

    @Test func rpcNamesFollowTheProto() {
        #expect(Request.Call.ping(PingRequest()).rpcName == "Ping")
        #expect(Request.Call.serverInfo(ServerInfoRequest()).rpcName == "ServerInfo")
        #expect(Request.Call.allRPCNames.prefix(3) == ["Authenticate", "Ping", "ServerInfo"])
    }
}
