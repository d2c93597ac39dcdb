import Foundation
import MFAProcessTestSupport
import MFACore
import MFADelivery
import Testing

/// Against a real HTTP server on loopback (Python's http.server), started by the test.
@Suite("HTTP SMS sender (real server)", .serialized)
struct HTTPSMSSenderTests {
    static let message = OpenedOutboxMessage(
        record: OutboxRecord(id: 9, createdAt: .testModeStart, channel: "sms", recipient: "+41791234567", subject: "",
                             sealedContent: nil, state: .queued, messageID: "00ff00ff00ff00ff00ff00ff00ff00ff@example.com"),
        content: OutboxContent(body: "Your mfad code: \"ABC234\"\nünï 🔐", code: "ABC234"))

    @Test("POSTs the JSON body with the bearer token and the message id")
    func postsJSON() async throws {
        try await withPythonSink("http_sink.py") { sink in
            let sender = try HTTPSMSSender(url: "http://127.0.0.1:\(sink.port)/sms", token: "tok-secret-1")

            try await sender.send(Self.message)

            let requests = sink.received("json")
            try #require(requests.count == 1, "server log: \(sink.log)")
            let request = try jsonObject(try Data(contentsOf: requests[0]))
            #expect(request["path"] as? String == "/sms")
            #expect(request["authorization"] as? String == "Bearer tok-secret-1")
            #expect(request["content_type"] as? String == "application/json; charset=utf-8")
            #expect(request["idempotency_key"] as? String == Self.message.messageID)
            let body = try jsonObject(Data((request["body"] as? String ?? "").utf8))
            #expect(body["to"] as? String == "+41791234567")
            #expect(body["body"] as? String == Self.message.body)
            #expect(body["message_id"] as? String == Self.message.messageID)
        }
    }

    @Test("a non-2xx answer is a rejection with the status, never the token or body")
    func non2xxIsRejected() async throws {
        try await withPythonSink("http_sink.py") { sink in
            let sender = try HTTPSMSSender(url: "http://127.0.0.1:\(sink.port)/status/503", token: "tok-secret-1")
            let error = try await #require(throws: DeliveryError.self) { try await sender.send(Self.message) }
            #expect(error.kind == .rejected)
            #expect(error.reason == "SMS gateway answered HTTP 503")
            #expect(!error.description.contains("tok-secret-1"))
            #expect(!error.description.contains("ABC234"))
        }
    }

    @Test("no server listening: a transfer failure")
    func connectionRefused() async throws {
        let sender = try HTTPSMSSender(url: "http://127.0.0.1:\(try freeLoopbackPort())/sms", token: nil, timeoutSeconds: 5)
        let error = try await #require(throws: DeliveryError.self) { try await sender.send(Self.message) }
        #expect(error.kind == .transferFailed)
    }

    @Test("the URL must be http(s) without credentials, the token printable")
    func configurationIsChecked() {
        #expect(throws: DeliveryError.self) { try HTTPSMSSender(url: "ftp://example.com", token: nil) }
        #expect(throws: DeliveryError.self) { try HTTPSMSSender(url: "https://user:pw@example.com", token: nil) }
        #expect(throws: DeliveryError.self) { try HTTPSMSSender(url: "https://example.com", token: "a b\r\n") }
    }
}
