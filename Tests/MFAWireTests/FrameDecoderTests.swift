import MFAWire
import NIOCore
import Testing

@Suite struct FrameDecoderTests {
    private func frames(of payloads: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for payload in payloads {
            let length = UInt32(payload.count)
            bytes += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            bytes += payload
        }
        return bytes
    }

    /// Feeds `chunks` one after another and collects the frames the decoder yields.
    private func decode(_ chunks: [[UInt8]], maximum: Int = 1 << 20) throws -> [[UInt8]] {
        let decoder = FrameDecoder(maximumFrameLength: maximum)
        var buffer = ByteBuffer()
        var out: [[UInt8]] = []
        for chunk in chunks {
            buffer.writeBytes(chunk)
            while let frame = try decoder.decode(&buffer) {
                out.append(Array(frame.readableBytesView))
            }
        }
        #expect(buffer.readableBytes == 0 || out.count < chunks.count + 10)
        return out
    }

    @Test func splitAtEveryByteBoundaryDecodesTheSame() throws {
        let payloads: [[UInt8]] = [[1, 2, 3], [], Array(repeating: 7, count: 300), [9]]
        let stream = frames(of: payloads)
        #expect(try decode([stream]) == payloads)
        for cut in 0...stream.count {
            #expect(try decode([Array(stream[..<cut]), Array(stream[cut...])]) == payloads, "cut at \(cut)")
        }
        for first in stride(from: 0, through: stream.count, by: 7) {
            for second in stride(from: first, through: stream.count, by: 13) {
                let chunks = [Array(stream[..<first]), Array(stream[first..<second]), Array(stream[second...])]
                #expect(try decode(chunks) == payloads)
            }
        }
        #expect(try decode(stream.map { [$0] }) == payloads)
    }

    @Test func zeroLengthFrameIsAFrame() throws {
        #expect(try decode([[0, 0, 0, 0]]) == [[]])
    }

    @Test func partialHeaderAndBodyWait() throws {
        #expect(try decode([[0, 0, 0]]).isEmpty)
        #expect(try decode([[0, 0, 0, 5, 1, 2]]).isEmpty)
    }

    @Test func oversizedLengthIsRefusedFromTheHeaderAlone() throws {
        #expect(throws: FrameError.frameTooLarge(length: 0xFFFF_FFFF, maximum: 1 << 20)) {
            try decode([[0xFF, 0xFF, 0xFF, 0xFF]])
        }
        #expect(throws: FrameError.frameTooLarge(length: 17, maximum: 16)) {
            try decode([[0, 0, 0, 17]], maximum: 16)
        }
        #expect(try decode([[0, 0, 0, 16] + Array(repeating: 1, count: 16)], maximum: 16).count == 1)
    }

    @Test func writeFrameProducesLengthThenMessage() throws {
        var buffer = ByteBuffer()
        let message = Request(id: 1, protocolVersion: 1, call: .ping(PingRequest(payload: Array("x".utf8))))
        try buffer.writeFrame(message)
        let bytes = Array(buffer.readableBytesView)
        #expect(bytes == [0, 0, 0, 9] + (try message.serializedBytes()))
        let frame = try FrameDecoder().decode(&buffer)
        #expect(try frame.map { try Request(buffer: $0) } == message)
    }
}
