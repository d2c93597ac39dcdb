/// One statement, written once with `?` parameters; each engine takes its own text. PostgreSQL's
/// text numbers the parameters (`$1`, `$2`, ...) in the order the `?` appear, so a value used
/// twice is bound twice. The few statements whose dialects differ give both texts.
///
/// Make statements once (`static let`): each engine keys its prepared statements by text.
public struct SQLStatement: Sendable, Hashable {
    /// SQLite's text (`?` parameters).
    public let sqlite: String
    /// PostgreSQL's text (`$n` parameters).
    public let postgres: String
    /// The table the statement reads, for error messages about its rows.
    public let table: String

    /// A statement both engines run as written.
    /// - Parameters:
    ///   - sql: The statement with `?` parameters (none inside string literals).
    ///   - table: The table it reads or changes.
    public init(_ sql: String, table: String) {
        self.sqlite = sql
        self.postgres = Self.numberingParameters(sql)
        self.table = table
    }

    /// A statement with a text per dialect.
    /// - Parameters:
    ///   - sqlite: SQLite's text, with `?` parameters.
    ///   - postgres: PostgreSQL's text, with `?` parameters (numbered here).
    ///   - table: The table it reads or changes.
    public init(sqlite: String, postgres: String, table: String) {
        self.sqlite = sqlite
        self.postgres = Self.numberingParameters(postgres)
        self.table = table
    }

    /// `?` -> `$1`, `$2`, ... in order.
    static func numberingParameters(_ sql: String) -> String {
        var numbered = ""
        numbered.reserveCapacity(sql.utf8.count + 16)
        var next = 1
        for character in sql {
            if character == "?" {
                numbered += "$\(next)"
                next += 1
            } else {
                numbered.append(character)
            }
        }
        return numbered
    }
}
