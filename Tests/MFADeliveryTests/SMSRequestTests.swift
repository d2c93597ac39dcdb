import Foundation
import MFAProcessTestSupport
import MFACore
import Testing

@testable import MFADelivery

@Suite("SMS request JSON")
struct SMSRequestTests {
    @Test("quotes, backslashes, control characters and line separators are escaped")
    func escaping() {
        #expect(SMSRequest.quote("plain") == "\"plain\"")
        #expect(SMSRequest.quote("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(SMSRequest.quote("l1\nl2\r\t\u{08}\u{0C}") == "\"l1\\nl2\\r\\t\\b\\f\"")
        #expect(SMSRequest.quote("\u{00}\u{1F}") == "\"\\u0000\\u001f\"")
        #expect(SMSRequest.quote("\u{2028}\u{2029}") == "\"\\u2028\\u2029\"")
        #expect(SMSRequest.quote("Grüße 🔐 /") == "\"Grüße 🔐 /\"")
    }

    @Test("the body is a JSON object with to, body and message_id that decodes back exactly")
    func roundTrip() throws {
        let body = "Your code: \"X2\"\\ \n\u{00}\u{1F} ünï 🔐 \u{2028} </script>"
        let message = OpenedOutboxMessage(
            record: OutboxRecord(id: 3, createdAt: .testModeStart, channel: "sms", recipient: "+41791234567", subject: "",
                                 sealedContent: nil, state: .queued, messageID: "abc@mfad.invalid"),
            content: OutboxContent(body: body, code: "X2"))
        let object = try jsonObject(Data(SMSRequest.json(for: message)))
        #expect(object.count == 3)
        #expect(object["to"] as? String == "+41791234567")
        #expect(object["body"] as? String == body)
        #expect(object["message_id"] as? String == "abc@mfad.invalid")
    }
}
