import Foundation
import Logging
import MFAOperations
import Testing

@Suite struct JSONLogHandlerTests {
    @Test func aLineIsOneJSONObjectWithEveryField() throws {
        let bytes = JSONLogHandler.line(
            time: (seconds: 1_767_225_600, nanoseconds: 123_456_789), level: .warning, label: "mfad",
            message: "quote \" backslash \\ newline \n control \u{7} é",
            metadata: ["peer": "127.0.0.1:5", "nested": .dictionary(["list": .array(["a", "b"])]), "n": .stringConvertible(42)])
        #expect(!bytes.contains(10))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["time"] as? String == "2026-01-01T00:00:00.123Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["label"] as? String == "mfad")
        #expect(object["message"] as? String == "quote \" backslash \\ newline \n control \u{7} é")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["peer"] as? String == "127.0.0.1:5")
        #expect(metadata["n"] as? String == "42")
        #expect((metadata["nested"] as? [String: Any])?["list"] as? [String] == ["a", "b"])
    }

    @Test func emptyMetadataIsLeftOut() throws {
        let bytes = JSONLogHandler.line(time: (0, 0), level: .info, label: "l", message: "m", metadata: [:])
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"time":"1970-01-01T00:00:00.000Z","level":"info","label":"l","message":"m"}"#)
    }
}
