import NIOCore

/// Why a frame could not be read.
public enum FrameError: Error, Equatable, Sendable {
    /// The length prefix announces more bytes than allowed. Raised as soon as the 4 length bytes
    /// are in, before any memory is taken for the body.
    case frameTooLarge(length: UInt32, maximum: Int)
    /// The connection went quiet in the middle of a frame for longer than allowed.
    case frameTimeout
    /// The peer closed its side of the connection (a half-close, `shutdown(SHUT_WR)`) after
    /// sending only `received` bytes of a frame: the rest can never arrive.
    case truncatedAtEndOfInput(received: Int)
}

/// Splits a byte stream into frames: a 4-byte unsigned big-endian length N, then N bytes.
///
/// Unlike NIO's `LengthFieldBasedFrameDecoder`, the length is checked against a maximum before
/// the body is waited for, so a hostile prefix such as `0xFFFFFFFF` costs nothing.
public struct FrameDecoder: Sendable {
    /// Bytes of the length prefix.
    public static let headerLength = 4
    /// The default maximum frame body, 1 MiB (SPEC 4).
    public static let defaultMaximumFrameLength = 1 << 20

    /// The largest body accepted, in bytes.
    public let maximumFrameLength: Int

    /// - Parameter maximumFrameLength: the largest body accepted, in bytes.
    public init(maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength) {
        self.maximumFrameLength = maximumFrameLength
    }

    /// Takes one whole frame's body from the front of `buffer`.
    /// - Parameter buffer: received bytes; a returned frame's bytes are consumed, a partial
    ///   frame is left in place.
    /// - Returns: the body of the next frame (possibly empty), or nil when more bytes are needed.
    /// - Throws: `FrameError.frameTooLarge` when the length prefix is over the maximum.
    public func decode(_ buffer: inout ByteBuffer) throws(FrameError) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        guard Int(length) <= maximumFrameLength else {
            throw .frameTooLarge(length: length, maximum: maximumFrameLength)
        }
        guard buffer.readableBytes >= Self.headerLength + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: Self.headerLength)
        return buffer.readSlice(length: Int(length))
    }
}

extension ByteBuffer {
    /// Appends `message` as one frame: its length, then its protobuf bytes.
    /// - Throws: `WireEncodingError` when the message cannot be encoded.
    public mutating func writeFrame(_ message: some WireMessage) throws(WireEncodingError) {
        let lengthIndex = writerIndex
        writeInteger(UInt32(0), endianness: .big)
        let written = try message.serialize(into: &self)
        setInteger(UInt32(written), at: lengthIndex, endianness: .big)
    }
}
