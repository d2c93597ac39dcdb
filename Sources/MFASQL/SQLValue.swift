/// A value bound to one parameter of a statement. Each engine binds it in its own types: SQLite
/// stores booleans as 0 and 1, PostgreSQL as `boolean`; blobs are `BLOB` and `bytea`.
public enum SQLValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case bool(Bool)
    case null

    /// The integer, or NULL.
    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    /// The integer, or NULL.
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    /// The text, or NULL.
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    /// The bytes, or NULL.
    public init(_ value: [UInt8]?) { self = value.map { .blob($0) } ?? .null }
    /// The boolean, or NULL.
    public init(_ value: Bool?) { self = value.map { .bool($0) } ?? .null }
}
