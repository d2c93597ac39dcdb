import MFAWire

extension Scenario {
    static let protocolScenarios: [Scenario] = [
        Scenario("caller-authentication", [
            "Before Authenticate every call answers UNAUTHENTICATED; a wrong key too; the right key opens the connection.",
        ], authenticates: false) { s in
            try s.call(.ping(PingRequest()))
            try s.authenticate(service: ConformanceServer.service, apiKey: "mfak_wrong-key-wrong-key-wrong")
            try s.authenticate(service: ConformanceServer.service, apiKey: ConformanceServer.apiKey)
            try s.call(.ping(PingRequest(payload: [1])))
        },
        Scenario("ping", ["Ping echoes its payload; ServerInfo describes the server."]) { s in
            try s.call(.ping(PingRequest(payload: Array("hello".utf8))))
            try s.call(.serverInfo(ServerInfoRequest()))
        },
        Scenario("pipelining", ["Several requests in flight on one connection; each answer carries its request's id."]) { s in
            for index in 1...4 {
                try s.send(.ping(PingRequest(payload: [UInt8(index)])))
            }
            for _ in 1...4 { _ = try s.receive() }
        },
        Scenario("frame-too-large", ["A length prefix over the maximum (1 MiB) gets FRAME_TOO_LARGE, then the connection closes."]) { s in
            try s.sendRaw([0xFF, 0xFF, 0xFF, 0xFF])
            _ = try s.receive()
            try s.expectClosed()
        },
        Scenario("malformed-envelope", ["A frame that is not a Request envelope gets MALFORMED_FRAME, then the connection closes."]) { s in
            let body: [UInt8] = [0x08, 0x64, 0x52, 0x09, 0x01]
            try s.sendRaw(ScenarioSession.lengthPrefix(body.count) + body)
            _ = try s.receive()
            try s.expectClosed()
        },
        Scenario("envelope-errors", [
            "An unknown call answers UNIMPLEMENTED, an unknown protocol version UNSUPPORTED_VERSION,",
            "a string that is not UTF-8 INVALID_ARGUMENT naming the field; the connection stays usable.",
        ]) { s in
            // Hand-made frames use ids of their own (100, 101) so no two requests share one.
            let unknownCall: [UInt8] = [0x08, 0x64, 0x10, 0x01, 0x9A, 0x06, 0x00]
            try s.sendRaw(ScenarioSession.lengthPrefix(unknownCall.count) + unknownCall)
            _ = try s.receive()
            try s.send(.ping(PingRequest()), protocolVersion: 2)
            _ = try s.receive()
            let badEmail: [UInt8] = [0x08, 0x65, 0x10, 0x01, 0xAA, 0x01, 0x03, 0x0A, 0x01, 0xFF]
            try s.sendRaw(ScenarioSession.lengthPrefix(badEmail.count) + badEmail)
            _ = try s.receive()
            try s.call(.ping(PingRequest(payload: [4])))
        },
    ]
}
