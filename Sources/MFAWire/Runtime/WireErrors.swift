/// Why a Swift message could not be turned into protobuf bytes.
public enum WireEncodingError: Error, Equatable, Sendable {
    /// A string field holds a NUL character, which protobuf-c's C strings would silently cut.
    case stringContainsNUL(field: String)

    /// A one-line description naming the field.
    public var description: String {
        switch self {
        case .stringContainsNUL(let field): "field \(field) contains a NUL character"
        }
    }
}

/// Why bytes could not be decoded into a message.
public enum WireDecodingError: Error, Equatable, Sendable {
    /// The bytes are not valid protobuf for the message: truncated, a bad tag or length,
    /// an unsupported wire type, or nested too deeply.
    case malformed(reason: String)
    /// A string field is not valid UTF-8.
    case invalidUTF8(field: String)
    /// A string field holds a NUL character.
    case stringContainsNUL(field: String)
    /// protobuf-c produced a oneof case without its message (a bug, never expected).
    case missingMessage(field: String)

    /// True when the bytes were well-formed protobuf but a string field's content was refused:
    /// the request can be answered with `INVALID_ARGUMENT` rather than a framing error.
    public var isInvalidArgument: Bool {
        switch self {
        case .invalidUTF8, .stringContainsNUL: true
        case .malformed, .missingMessage: false
        }
    }

    /// A one-line description naming the field, safe to send to the caller.
    public var description: String {
        switch self {
        case .malformed(let reason): "malformed protobuf: \(reason)"
        case .invalidUTF8(let field): "field \(field) is not valid UTF-8"
        case .stringContainsNUL(let field): "field \(field) contains a NUL character"
        case .missingMessage(let field): "field \(field) is set without a value"
        }
    }
}
