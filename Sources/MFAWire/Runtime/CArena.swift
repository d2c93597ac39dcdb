internal import CProtobufC

/// Owns every C allocation made while lowering one Swift message into protobuf-c structs, and
/// frees them all at once when the encoding is done. protobuf-c's `char *` and pointer fields
/// must stay valid until `__pack` returns; one owner per encode makes that simple and leak-free.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    /// Creates an empty arena.
    init() {}

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }

    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// A new C message of `Message`'s type, initialised by its generated `__init`.
    func message<Message: CProtobufMessage>(_ type: Message.Type) -> UnsafeMutablePointer<Message.CMessage> {
        let pointer = allocate(Message.CMessage.self, count: 1)
        Message.cInit(pointer)
        return pointer
    }

    /// A NUL-terminated copy of `string`.
    /// - Throws: `WireEncodingError.stringContainsNUL` when the string holds a NUL, which C would cut.
    func cString(_ string: String, field: String) throws(WireEncodingError) -> UnsafeMutablePointer<CChar> {
        var string = string
        let (pointer, sawNUL) = string.withUTF8 { bytes in
            let pointer = allocate(CChar.self, count: bytes.count + 1)
            if let base = bytes.baseAddress {
                UnsafeMutableRawPointer(pointer).copyMemory(from: base, byteCount: bytes.count)
            }
            pointer[bytes.count] = 0
            return (pointer, bytes.contains(0))
        }
        if sawNUL { throw .stringContainsNUL(field: field) }
        return pointer
    }

    /// An array of C strings for a repeated string field.
    func cStrings(_ strings: [String], field: String) throws(WireEncodingError) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        if strings.isEmpty { return nil }
        let array = allocate(UnsafeMutablePointer<CChar>?.self, count: strings.count)
        for (index, string) in strings.enumerated() {
            array[index] = try cString(string, field: field)
        }
        return array
    }

    /// A `ProtobufCBinaryData` holding a copy of `bytes`.
    func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        if bytes.isEmpty { return ProtobufCBinaryData(len: 0, data: nil) }
        let pointer = allocate(UInt8.self, count: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
        return ProtobufCBinaryData(len: bytes.count, data: pointer)
    }

    /// A C array holding a copy of `values`, for repeated scalar and enum fields.
    func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        if values.isEmpty { return nil }
        let pointer = allocate(T.self, count: values.count)
        pointer.initialize(from: values, count: values.count)
        return pointer
    }

    /// An array of lowered messages, for repeated message fields.
    func messages<Message: CProtobufMessage>(_ values: [Message]) throws(WireEncodingError) -> UnsafeMutablePointer<UnsafeMutablePointer<Message.CMessage>?>? {
        if values.isEmpty { return nil }
        let array = allocate(UnsafeMutablePointer<Message.CMessage>?.self, count: values.count)
        for (index, value) in values.enumerated() {
            array[index] = try value.lower(into: self)
        }
        return array
    }
}
