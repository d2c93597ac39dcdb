import MFACore
import MFAWire
import Testing

/// Bad bytes give typed errors, never a crash, and strings are refused rather than repaired.
@Suite struct DecodingRejectionTests {
    private static let validRequest: [UInt8] = [0x08, 0x01, 0x10, 0x01, 0x52, 0x03, 0x0A, 0x01, 0x78]

    @Test func everyTruncationOfAValidRequestIsRejectedOrShorter() throws {
        // Cutting inside the nested ping must fail; cutting at a field boundary is a valid shorter message.
        let boundaries: Set<Int> = [0, 2, 4, 9]
        for length in 0..<Self.validRequest.count {
            let prefix = Array(Self.validRequest.prefix(length))
            if boundaries.contains(length) {
                _ = try Request(serializedBytes: prefix)
            } else {
                #expect(throws: WireDecodingError.self, "prefix of \(length) bytes") {
                    try Request(serializedBytes: prefix)
                }
            }
        }
    }

    @Test func nulInsideAStringIsRejectedOnDecode() {
        // ErrorDetails.message = "a\0b"
        let bytes: [UInt8] = [0x12, 0x03, 0x61, 0x00, 0x62]
        #expect(throws: WireDecodingError.stringContainsNUL(field: "Error.message")) {
            try ErrorDetails(serializedBytes: bytes)
        }
    }

    @Test func invalidUTF8IsRejectedOnDecode() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] {
            let bytes: [UInt8] = [0x12, UInt8(bad.count)] + bad
            #expect(throws: WireDecodingError.invalidUTF8(field: "Error.message")) {
                try ErrorDetails(serializedBytes: bytes)
            }
        }
    }

    @Test func invalidStringsInsideNestedMessagesAreFound() {
        // Response.error (field 2) { message (field 2) = 0xFF }
        let bytes: [UInt8] = [0x12, 0x03, 0x12, 0x01, 0xFF]
        #expect(throws: WireDecodingError.invalidUTF8(field: "Error.message")) {
            try Response(serializedBytes: bytes)
        }
    }

    @Test func nulIsRejectedOnEncode() {
        let error = ErrorDetails(code: .internal, message: "cut\u{0}here")
        #expect(throws: WireEncodingError.stringContainsNUL(field: "Error.message")) {
            try error.serializedBytes()
        }
    }

    @Test func malformedStructureIsRejected() {
        let cases: [[UInt8]] = [
            [0x08],                                // truncated varint
            [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], // varint too long
            [0x52, 0x05, 0x0A],                    // length past the end
            [0x0B],                                // group wire type
            [0x00, 0x01],                          // field number 0
            [0x52, 0x02, 0x0A, 0x05],              // nested length past nested end
            [0x4A, 0x01, 0x8A, 0x01, 0x05],        // a nested key straddling the nested end (found by fuzzing: it trapped)
            [0x4A, 0x01, 0x88, 0x01, 0x05],        // the same with a varint key
        ]
        for bytes in cases {
            #expect(throws: WireDecodingError.self, "\(bytes)") { try Request(serializedBytes: bytes) }
        }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SplitMix64(seed: 7)
        var accepted = 0
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 48)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if (try? Request(serializedBytes: bytes)) != nil { accepted += 1 }
            _ = try? Response(serializedBytes: bytes)
        }
        // Some random inputs are valid protobuf; most are not. Either way nothing crashed.
        #expect(accepted < 20_000)
    }

    @Test func peekFindsTheRequestIDOfARefusedRequest() {
        // id=77, then ping with invalid UTF-8 is impossible (bytes), so use a broken tail.
        let bytes: [UInt8] = [0x08, 0x4D, 0x52, 0x09]
        let id = bytes.withUnsafeBytes { WireValidator.peekVarint(field: 1, in: $0) }
        #expect(id == 77)
    }
}
