import NIOCore
import PostgresNIO

/// A value bound to a `$n` placeholder. Statements never interpolate values into their text.
enum PostgresValue: Sendable {
    case text(String)
    case integer(Int64)
    case bytes([UInt8])
    case bool(Bool)
    case textArray([String])
    case integerArray([Int64])
    case null

    init(_ value: String?) { self = value.map(Self.text) ?? .null }
    init(_ value: Int64?) { self = value.map(Self.integer) ?? .null }
    init(_ value: [UInt8]?) { self = value.map(Self.bytes) ?? .null }
    init(_ value: Int) { self = .integer(Int64(value)) }

    /// The values as postgres-nio bindings, in order (`$1` first).
    static func bindings(_ values: [PostgresValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): bindings.append(text)
            case .integer(let integer): bindings.append(integer)
            case .bytes(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            case .bool(let bool): bindings.append(bool)
            case .textArray(let texts): bindings.append(texts)
            case .integerArray(let integers): bindings.append(integers)
            case .null: bindings.appendNull()
            }
        }
        return bindings
    }
}
