/// One value of a command's output, typed enough to be rendered both for people and as JSON.
///
/// Commands describe a response as an ``OutputRecord`` of these; ``OutputRenderer`` decides
/// how each kind looks, so no command formats anything by hand.
public indirect enum OutputValue: Sendable, Equatable {
    /// Text. Human output shows `-` for an empty string; JSON shows `""`.
    case string(String)
    /// A signed integer.
    case integer(Int64)
    /// An unsigned integer (kept apart so that a `UInt64` never overflows).
    case unsigned(UInt64)
    /// A yes/no value: `yes`/`no` for people, `true`/`false` in JSON.
    case bool(Bool)
    /// Unix seconds. People see ISO-8601 UTC and the seconds (`none` for 0, which the protocol
    /// uses for "no time"); JSON sees the number.
    case time(Int64)
    /// A list: strings are joined on one line for people; records are shown one block each.
    case list([OutputValue])
    /// A nested message, shown indented for people and as an object in JSON.
    case record(OutputRecord)

    /// An integer of any width, stored signed or unsigned as its type is.
    /// - Parameter value: the number.
    /// - Returns: `.integer` for signed types, `.unsigned` for unsigned ones.
    public static func number<T: BinaryInteger>(_ value: T) -> OutputValue {
        T.isSigned ? .integer(Int64(value)) : .unsigned(UInt64(value))
    }

    /// A list of strings.
    /// - Parameter values: the strings, in order.
    /// - Returns: a `.list` of `.string`s.
    public static func strings(_ values: [String]) -> OutputValue {
        .list(values.map { .string($0) })
    }

    /// A list of nested records.
    /// - Parameter values: the records, in order.
    /// - Returns: a `.list` of `.record`s.
    public static func records(_ values: [OutputRecord]) -> OutputValue {
        .list(values.map { .record($0) })
    }
}

/// One named value of a record; `key` is the proto field name (snake_case).
public struct OutputField: Sendable, Equatable {
    /// The proto field name, e.g. `session_expires_unix`; JSON uses it as is.
    public var key: String
    /// The value.
    public var value: OutputValue

    /// - Parameters:
    ///   - key: the proto field name.
    ///   - value: the value.
    public init(key: String, value: OutputValue) {
        self.key = key
        self.value = value
    }
}

/// An ordered list of named values: what one command prints.
///
/// Written as a dictionary literal, which keeps the order it is written in:
/// ```swift
/// let record: OutputRecord = ["account_id": .string(id), "created_unix": .time(t)]
/// ```
public struct OutputRecord: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The fields in the order they are printed.
    public var fields: [OutputField]

    /// - Parameter fields: the fields in the order they are printed.
    public init(_ fields: [OutputField] = []) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, OutputValue)...) {
        self.fields = elements.map { OutputField(key: $0.0, value: $0.1) }
    }
}
