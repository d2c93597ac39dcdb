import MFAWire
import NIOCore

/// Request frames without a protobuf-c round trip per request, and responses read only as far
/// as needed, so that the load generator spends far less per request than the server does.
///
/// A request's body is encoded once with `id = 0` (proto3 leaves the field out); each send writes
/// the length, then field 1 (the id) by hand, then those bytes. Field order does not matter in
/// protobuf, and the server reads the same values as from `Request(id:...).serialize`.
struct RequestTemplate {
    let body: [UInt8]

    /// - Throws: `WireEncodingError` when the call cannot be encoded.
    init(_ call: Request.Call) throws {
        body = try Request(id: 0, protocolVersion: ProtocolVersion.current, call: call).serializedBytes()
    }

    /// Appends one frame carrying request `id`.
    func write(id: UInt64, into buffer: inout ByteBuffer) {
        let idLength = 1 + Self.varintLength(id)
        buffer.writeInteger(UInt32(idLength + body.count), endianness: .big)
        buffer.writeInteger(UInt8(0x08))
        var value = id
        while value >= 0x80 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.writeInteger(UInt8(value))
        buffer.writeBytes(body)
    }

    static func varintLength(_ value: UInt64) -> Int {
        var n = 1
        var v = value >> 7
        while v != 0 { n += 1; v >>= 7 }
        return n
    }
}

/// What the front of a response frame says without decoding it all: its id, and whether its
/// result is an `Error` (field 2), which the server writes right after the id.
struct ResponseHead {
    let id: UInt64
    let isError: Bool

    /// Reads the head of a frame body; nil when it does not start with field 1.
    init?(_ frame: ByteBuffer) {
        let parsed: (UInt64, Bool)? = frame.withUnsafeReadableBytes { bytes in
            guard bytes.count >= 2, bytes[0] == 0x08 else { return nil }
            var id: UInt64 = 0
            var shift: UInt64 = 0
            var index = 1
            while index < bytes.count, index <= 10 {
                let byte = bytes[index]
                id |= UInt64(byte & 0x7F) << shift
                index += 1
                if byte & 0x80 == 0 {
                    let isError = index < bytes.count && bytes[index] == 0x12
                    return (id, isError)
                }
                shift += 7
            }
            return nil
        }
        guard let parsed else { return nil }
        (id, isError) = parsed
    }
}
