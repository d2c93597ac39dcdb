/// A value bound to a `?` parameter or read from a column: one of SQLite's five storage classes.
///
/// Literals work directly (`[42, "alice", true, .null]`); variables go through the initialisers,
/// which also map `nil` to ``null``: `[SQLiteValue(userID), SQLiteValue(optionalEmail)]`.
///
/// Deliberately not `ExpressibleByNilLiteral`: `nil` would then silently mean ``null`` wherever an
/// `SQLiteValue?` is expected.
public enum SQLiteValue: Sendable, Hashable {
    /// A 64-bit signed integer (also used for `Int` and `Bool`: `true` is 1, `false` is 0).
    case integer(Int64)
    /// An IEEE 754 double.
    case real(Double)
    /// UTF-8 text. Bound with its exact byte length, so an embedded NUL is kept.
    case text(String)
    /// Raw bytes. An empty array is an empty blob, not NULL.
    case blob([UInt8])
    /// SQL NULL.
    case null

    /// An integer value, or ``null`` for `nil`.
    /// - Parameters:
    ///   - value: The integer to bind.
    public init(_ value: Int64?) {
        self = value.map { .integer($0) } ?? .null
    }

    /// An integer value, or ``null`` for `nil`.
    /// - Parameters:
    ///   - value: The integer to bind; stored as a 64-bit integer.
    public init(_ value: Int?) {
        self = value.map { .integer(Int64($0)) } ?? .null
    }

    /// A boolean stored as the integer 1 or 0, or ``null`` for `nil`.
    /// - Parameters:
    ///   - value: The boolean to bind.
    public init(_ value: Bool?) {
        self = value.map { .integer($0 ? 1 : 0) } ?? .null
    }

    /// A real value, or ``null`` for `nil`.
    /// - Parameters:
    ///   - value: The double to bind.
    public init(_ value: Double?) {
        self = value.map { .real($0) } ?? .null
    }

    /// A text value, or ``null`` for `nil`.
    /// - Parameters:
    ///   - value: The string to bind, stored as UTF-8.
    public init(_ value: String?) {
        self = value.map { .text($0) } ?? .null
    }

    /// A blob value, or ``null`` for `nil`.
    /// - Parameters:
    ///   - value: The bytes to bind; an empty array is an empty blob.
    public init(_ value: [UInt8]?) {
        self = value.map { .blob($0) } ?? .null
    }

    /// True for ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The storage-class name as SQLite spells it (`INTEGER`, `REAL`, `TEXT`, `BLOB`, `NULL`), for
    /// error messages.
    public var storageClassName: String {
        switch self {
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        case .null: "NULL"
        }
    }
}

extension SQLiteValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension SQLiteValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) {
        self = .real(value)
    }
}

extension SQLiteValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

extension SQLiteValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .integer(value ? 1 : 0)
    }
}
