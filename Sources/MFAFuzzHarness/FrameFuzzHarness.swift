import MFAWire
import NIOCore
import NIOEmbedded

/// The `frames` fuzz target: the input is a byte stream as a client would send it (length
/// prefixes included).
///
/// 1. The whole stream goes through `FrameDecoder` at once: the reference list of frames, and
///    the error it stops on (`frameTooLarge`), if any.
/// 2. The same stream goes through the server's `FrameDecodingHandler` in an `EmbeddedChannel`,
///    split into chunks whose sizes are derived from the input itself (so a crash reproduces from
///    the input alone). It must yield the same frames and the same error, and after the last
///    chunk its half-frame timer must fire exactly when a partial frame is left over.
/// 3. Every frame is decoded as a `Request` (what the server does) and as a `Response` (what
///    every client does); whatever decodes must survive a re-encoding round trip unchanged.
public enum FrameFuzzHarness {
    /// The server's default maximum frame body (1 MiB).
    public static let maximumFrameLength = FrameDecoder.defaultMaximumFrameLength
    /// The half-frame timeout given to the handler; virtual time on the embedded loop.
    static let frameTimeout = TimeAmount.seconds(10)

    /// What a decoder made of a stream.
    struct Outcome: Equatable {
        var frames: [[UInt8]] = []
        var error: FrameError?
        /// Bytes of a partial frame left over at the end (the reference decoder only).
        var leftover = 0
    }

    /// Runs one input through every check above; crashes on a broken invariant.
    /// - Parameter input: the byte stream.
    public static func run(_ input: UnsafeRawBufferPointer) {
        let stream = ByteBuffer(bytes: input)
        let reference = decodeWhole(stream)
        let chunked = decodeInChunks(stream, sizes: ChunkPlan(input))
        FuzzFailure.check(chunked.outcome.frames == reference.frames,
                          "chunked decoding gave \(chunked.outcome.frames.count) frames, whole-stream decoding \(reference.frames.count)")
        FuzzFailure.check(chunked.outcome.error == reference.error,
                          "chunked decoding stopped on \(String(describing: chunked.outcome.error)), whole-stream decoding on \(String(describing: reference.error))")
        let partialLeft = reference.error == nil && reference.leftover > 0
        FuzzFailure.check(chunked.timedOut == partialLeft,
                          "half-frame timer fired: \(chunked.timedOut), partial frame left: \(partialLeft) (\(reference.leftover) bytes)")
        for frame in reference.frames {
            let body = ByteBuffer(bytes: frame)
            MessageChecks.decode(Request.self, body)
            MessageChecks.decode(Response.self, body)
        }
    }

    /// The reference: `FrameDecoder` over the whole stream.
    static func decodeWhole(_ stream: ByteBuffer) -> Outcome {
        var buffer = stream
        var outcome = Outcome()
        let decoder = FrameDecoder(maximumFrameLength: maximumFrameLength)
        do {
            while let frame = try decoder.decode(&buffer) {
                outcome.frames.append(Array(frame.readableBytesView))
            }
            outcome.leftover = buffer.readableBytes
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// The server's handler, fed chunk by chunk; then virtual time moves past the frame timeout.
    static func decodeInChunks(_ stream: ByteBuffer, sizes: ChunkPlan) -> (outcome: Outcome, timedOut: Bool) {
        let channel = EmbeddedChannel(handler: FrameDecodingHandler(maximumFrameLength: maximumFrameLength,
                                                                    frameTimeout: frameTimeout))
        var outcome = Outcome()
        var remaining = stream
        var sizes = sizes
        func collect() {
            while let frame = try? channel.readInbound(as: ByteBuffer.self) {
                outcome.frames.append(Array(frame.readableBytesView))
            }
        }
        func note(_ error: any Error) {
            guard let error = error as? FrameError else {
                FuzzFailure.fail("FrameDecodingHandler raised an unexpected error: \(error)")
            }
            FuzzFailure.check(outcome.error == nil, "FrameDecodingHandler raised a second error: \(error)")
            outcome.error = error
        }
        while remaining.readableBytes > 0 {
            let chunk = remaining.readSlice(length: min(sizes.next(), remaining.readableBytes))!
            do {
                try channel.writeInbound(chunk)
            } catch {
                note(error)
            }
            collect()
        }
        var timedOut = false
        channel.embeddedEventLoop.advanceTime(by: frameTimeout + .seconds(1))
        do {
            try channel.throwIfErrorCaught()
        } catch FrameError.frameTimeout {
            timedOut = true
        } catch {
            note(error)
        }
        collect()
        _ = try? channel.finish(acceptAlreadyClosed: true)
        return (outcome, timedOut)
    }
}

/// Chunk sizes for one input, derived from a hash of the input so that a finding reproduces
/// from the input file alone: runs of single bytes, small, medium and large chunks.
struct ChunkPlan {
    private var state: UInt64
    private let total: Int

    init(_ input: UnsafeRawBufferPointer) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a
        for byte in input {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        state = hash
        total = input.count
    }

    /// SplitMix64.
    private mutating func random() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The size of the next chunk, at least 1.
    mutating func next() -> Int {
        let limits = [1, 2, 3, 5, 8, 32, 256, max(1, total)]
        let limit = limits[Int(random() % UInt64(limits.count))]
        return 1 + Int(random() % UInt64(limit))
    }
}
