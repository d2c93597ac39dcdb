internal import CProtobufC

/// Walks protobuf wire bytes with protobuf-c's descriptors before they are unpacked, to check
/// what `__unpack` does not: every string field is valid UTF-8 without NUL characters, nesting
/// stays shallow, and every length stays inside its parent.
package enum WireValidator {
    /// The deepest nesting of messages accepted. The schema is flat; this only bounds hostile input.
    static let maximumDepth = 16

    /// Checks `bytes` against the message described by `descriptor`.
    /// - Throws: `WireDecodingError.malformed` for broken wire structure, `.invalidUTF8` or
    ///   `.stringContainsNUL` (naming the field) for refused string contents.
    static func validate(_ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>) throws(WireDecodingError) {
        var reader = WireReader(bytes: bytes)
        try validate(&reader, end: bytes.count, descriptor: descriptor, depth: 0)
    }

    /// The value of a top-level varint field, e.g. a request id, from bytes that may be invalid
    /// further on. Used to answer a refused request with its own id.
    /// - Returns: the last value of the field seen before any malformed part, or nil.
    package static func peekVarint(field number: UInt32, in bytes: UnsafeRawBufferPointer) -> UInt64? {
        var reader = WireReader(bytes: bytes)
        var found: UInt64?
        while reader.offset < bytes.count {
            guard let key = try? reader.varint(end: bytes.count) else { return found }
            let wireType = key & 7
            if wireType == 0 {
                guard let value = try? reader.varint(end: bytes.count) else { return found }
                if key >> 3 == UInt64(number) { found = value }
            } else {
                guard (try? reader.skip(wireType: wireType, end: bytes.count)) != nil else { return found }
            }
        }
        return found
    }

    private static func validate(_ reader: inout WireReader, end: Int, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, depth: Int) throws(WireDecodingError) {
        guard depth <= maximumDepth else { throw .malformed(reason: "messages nested deeper than \(maximumDepth)") }
        while reader.offset < end {
            let key = try reader.varint(end: end)
            let number = key >> 3
            let wireType = key & 7
            guard number > 0, number <= 536_870_911 else { throw .malformed(reason: "field number \(number) out of range") }
            guard wireType == 2,
                  let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(number))
            else {
                try reader.skip(wireType: wireType, end: end)
                continue
            }
            let length = try reader.length(end: end)
            let start = reader.offset
            if cprotobufc_field_is_string(field) != 0 {
                let name = String(cString: descriptor.pointee.short_name) + "." + String(cString: field.pointee.name)
                try checkString(reader.bytes, start: start, count: length, field: name)
                reader.offset += length
            } else if cprotobufc_field_is_message(field) != 0 {
                guard let nested = field.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self) else {
                    throw .malformed(reason: "no descriptor for a nested message")
                }
                try validate(&reader, end: start + length, descriptor: nested, depth: depth + 1)
                guard reader.offset == start + length else { throw .malformed(reason: "nested message overruns its length") }
            } else {
                reader.offset += length
            }
        }
        guard reader.offset == end else { throw .malformed(reason: "truncated field") }
    }

    private static func checkString(_ bytes: UnsafeRawBufferPointer, start: Int, count: Int, field: String) throws(WireDecodingError) {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)])
        if slice.contains(0) { throw .stringContainsNUL(field: field) }
        var iterator = slice.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return
            case .error: throw .invalidUTF8(field: field)
            }
        }
    }
}

/// A cursor over protobuf wire bytes.
struct WireReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Reads a varint that must end before `end`, the end of the message being read: a varint
    /// running past it would leave `offset` beyond `end`, and a key straddling a nested message's
    /// end is malformed anyway.
    mutating func varint(end: Int) throws(WireDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < end {
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw .malformed(reason: "varint overflows 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw .malformed(reason: "varint longer than 10 bytes") }
        }
        throw .malformed(reason: "truncated varint")
    }

    mutating func length(end: Int) throws(WireDecodingError) -> Int {
        let length = try varint(end: end)
        guard length <= UInt64(end - offset) else { throw .malformed(reason: "length-delimited field runs past the end") }
        return Int(length)
    }

    mutating func skip(wireType: UInt64, end: Int) throws(WireDecodingError) {
        switch wireType {
        case 0: _ = try varint(end: end)
        case 1: try advance(8, end: end)
        case 2: offset += try length(end: end)
        case 5: try advance(4, end: end)
        default: throw .malformed(reason: "unsupported wire type \(wireType)")
        }
    }

    private mutating func advance(_ count: Int, end: Int) throws(WireDecodingError) {
        guard end - offset >= count else { throw .malformed(reason: "truncated fixed-width field") }
        offset += count
    }
}
