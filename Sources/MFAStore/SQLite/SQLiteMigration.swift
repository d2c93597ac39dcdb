/// One schema change: a version number, a stable name, and the SQL script that makes it.
///
/// Once released, a migration is never edited or renumbered: add a new one instead. The migrator
/// refuses a database whose recorded name for a version differs from this one.
public struct SQLiteMigration: Sendable, Hashable {
    /// The version, at least 1; migrations run in ascending version order.
    public let version: Int
    /// A short stable name, recorded next to the version.
    public let name: String
    /// The SQL script (one or more statements). It runs inside the migrator's transaction, so it
    /// must not contain `BEGIN`, `COMMIT` or `ROLLBACK`.
    public let sql: String

    /// Makes a migration.
    /// - Parameters:
    ///   - version: The version, at least 1.
    ///   - name: A short stable name, not empty.
    ///   - sql: The SQL script.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
