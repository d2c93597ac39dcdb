internal import CProtobufC

/// Reads values out of unpacked protobuf-c structs. Used by the generated `init(lifting:)`.
enum CLift {
    /// A Swift string from a C string, refusing invalid UTF-8 instead of repairing it.
    static func string(_ pointer: UnsafePointer<CChar>?, field: String) throws(WireDecodingError) -> String {
        guard let pointer else { return "" }
        guard let string = String(validatingCString: pointer) else { throw .invalidUTF8(field: field) }
        return string
    }

    /// The strings of a repeated string field.
    static func strings(_ array: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, count: Int, field: String) throws(WireDecodingError) -> [String] {
        guard let array, count > 0 else { return [] }
        var result: [String] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            result.append(try string(array[index], field: field))
        }
        return result
    }

    /// A copy of a bytes field.
    static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard let base = data.data, data.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: base, count: data.len))
    }

    /// A copy of a repeated scalar or enum field.
    static func array<T>(_ array: UnsafeMutablePointer<T>?, count: Int) -> [T] {
        guard let array, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: array, count: count))
    }

    /// The messages of a repeated message field.
    static func messages<Message: CProtobufMessage>(_ array: UnsafeMutablePointer<UnsafeMutablePointer<Message.CMessage>?>?, count: Int, field: String) throws(WireDecodingError) -> [Message] {
        guard let array, count > 0 else { return [] }
        var result: [Message] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let element = array[index] else { throw .missingMessage(field: field) }
            result.append(try Message(lifting: element))
        }
        return result
    }
}
