import MFAWire
import NIOCore

/// The checks both fuzz targets make on wire messages.
enum MessageChecks {
    /// Decodes `body` as `Message` the way the server reads a frame, and when it decodes, checks
    /// the round trip (see `roundTrip`). A refusal exercises what the server does with it: the
    /// request id is peeked for the error answer and the error described.
    /// - Returns: the decoded message, or nil when the bytes were refused.
    @discardableResult
    static func decode<Message: WireMessage & ProtoTextFormattable>(_ type: Message.Type, _ body: ByteBuffer) -> Message? {
        do {
            let message = try Message(buffer: body)
            roundTrip(message)
            return message
        } catch {
            _ = body.withUnsafeReadableBytes { WireValidator.peekVarint(field: 1, in: $0) }
            _ = error.description
            _ = error.isInvalidArgument
            return nil
        }
    }

    /// A decoded message must encode again (it cannot hold a NUL: decoding refuses one), decode
    /// from that encoding to an equal value, encode the same bytes a second time, travel through
    /// `writeFrame` and `FrameDecoder` unchanged, and print as text.
    static func roundTrip<Message: WireMessage & ProtoTextFormattable>(_ message: Message) {
        let name = String(describing: Message.self)
        let encoded: [UInt8]
        do {
            encoded = try message.serializedBytes()
        } catch {
            FuzzFailure.fail("a decoded \(name) cannot be encoded again: \(error.description)")
        }
        let decoded: Message
        do {
            decoded = try Message(serializedBytes: encoded)
        } catch {
            FuzzFailure.fail("the re-encoding of a \(name) does not decode: \(error.description); bytes \(hex(encoded))")
        }
        FuzzFailure.check(decoded == message, "a \(name) changed in a round trip: \(message) became \(decoded)")
        let again = try? decoded.serializedBytes()
        FuzzFailure.check(again == encoded, "a \(name) encodes differently the second time: \(hex(encoded)) then \(hex(again ?? []))")

        var buffer = ByteBuffer()
        do {
            try buffer.writeFrame(message)
        } catch {
            FuzzFailure.fail("writeFrame refused a \(name) that serializedBytes accepted: \(error.description)")
        }
        let frame: ByteBuffer?
        do {
            frame = try FrameDecoder(maximumFrameLength: Int(UInt32.max)).decode(&buffer)
        } catch {
            FuzzFailure.fail("FrameDecoder refused a frame written by writeFrame: \(error)")
        }
        FuzzFailure.check(frame.map { Array($0.readableBytesView) } == encoded && buffer.readableBytes == 0,
                          "writeFrame and FrameDecoder disagree on a \(name)")
        _ = message.textFormat
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }
}
