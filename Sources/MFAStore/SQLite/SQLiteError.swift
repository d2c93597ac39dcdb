import CSQLite

/// An error from the SQLite layer: either a result code returned by SQLite itself or a check made by
/// this layer (closed database, unexpected NULL, refused migration, pragma that did not take, ...).
///
/// The error carries the SQL text that failed, never the values bound to it: bound values may be
/// secrets (hashes, encrypted keys). The type can grow without breaking callers: match on ``kind``
/// (`error.kind == .databaseClosed`) or on the result-code helpers (``isBusy``, ``isConstraint``).
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New kinds may be added; switch with a `default`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case sqlite
            case unexpectedNull
            case typeMismatch
            case noSuchColumn
            case bindingMismatch
            case invalidStatement
            case pragmaNotApplied
            case invalidMigrations
            case migrationRefused
            case migrationFailed
            case batchAborted
            case invalidConfiguration
            case databaseClosed
        }

        private let code: Code

        private init(_ code: Code) {
            self.code = code
        }

        /// SQLite returned an error result code; see ``SQLiteError/resultCode``.
        public static let sqlite = Kind(.sqlite)
        /// A non-optional column accessor found NULL.
        public static let unexpectedNull = Kind(.unexpectedNull)
        /// A column accessor found a value of another storage class than the one asked for.
        public static let typeMismatch = Kind(.typeMismatch)
        /// A column index or name that the result does not have.
        public static let noSuchColumn = Kind(.noSuchColumn)
        /// The number of bound values differs from the number of `?` parameters in the SQL.
        public static let bindingMismatch = Kind(.bindingMismatch)
        /// The SQL given to a single-statement call is empty or holds more than one statement.
        public static let invalidStatement = Kind(.invalidStatement)
        /// A pragma read back after setting it has another value than the one set.
        public static let pragmaNotApplied = Kind(.pragmaNotApplied)
        /// The list of migrations handed to the migrator is malformed (order, duplicates, names).
        public static let invalidMigrations = Kind(.invalidMigrations)
        /// The database's recorded migrations do not fit this build (downgrade, renamed, missing).
        public static let migrationRefused = Kind(.migrationRefused)
        /// A migration's SQL failed; the migration was rolled back as a whole.
        public static let migrationFailed = Kind(.migrationFailed)
        /// A write batch was abandoned because its transaction could not be kept (fail closed).
        public static let batchAborted = Kind(.batchAborted)
        /// A configuration value is out of range.
        public static let invalidConfiguration = Kind(.invalidConfiguration)
        /// The database was closed; no further reads or writes are accepted.
        public static let databaseClosed = Kind(.databaseClosed)

        public var description: String {
            code.rawValue
        }
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The primary SQLite result code (`SQLITE_BUSY` is 5, `SQLITE_CONSTRAINT` 19, ...). For errors
    /// raised by this layer rather than by SQLite it is `SQLITE_MISUSE` (21) for wrong use of the API
    /// and `SQLITE_ERROR` (1) otherwise.
    public let resultCode: Int32
    /// The extended SQLite result code (for example `SQLITE_CONSTRAINT_UNIQUE`, 2067); equal to
    /// ``resultCode`` when SQLite gave no extended code.
    public let extendedResultCode: Int32
    /// What failed, in words: SQLite's message, or this layer's explanation.
    public let message: String
    /// The SQL that failed, if any. Bound values are never included.
    public let sql: String?

    private init(kind: Kind, resultCode: Int32, extendedResultCode: Int32? = nil, message: String, sql: String?) {
        self.kind = kind
        self.resultCode = resultCode
        self.extendedResultCode = extendedResultCode ?? resultCode
        self.message = message
        self.sql = sql
    }

    /// True when SQLite reported `SQLITE_BUSY`: another connection held a lock longer than the busy
    /// timeout. The operation did not happen; the caller may retry later (the service denies the
    /// attempt: it fails closed).
    public var isBusy: Bool {
        kind == .sqlite && resultCode == SQLITE_BUSY
    }

    /// True when SQLite reported `SQLITE_CONSTRAINT` (UNIQUE, NOT NULL, CHECK, FOREIGN KEY, ...);
    /// ``extendedResultCode`` says which.
    public var isConstraint: Bool {
        kind == .sqlite && resultCode == SQLITE_CONSTRAINT
    }

    /// True when SQLite refused to change a read-only database (`SQLITE_READONLY`), for example a
    /// write attempted through a reader connection.
    public var isReadOnly: Bool {
        kind == .sqlite && resultCode == SQLITE_READONLY
    }

    public var description: String {
        var text = "SQLite error (\(kind)"
        if kind == .sqlite {
            text += ", code \(resultCode)"
            if extendedResultCode != resultCode {
                text += ", extended \(extendedResultCode)"
            }
        }
        text += "): \(message)"
        if let sql {
            let shown = sql.count > 300 ? String(sql.prefix(300)) + "…" : sql
            text += " [SQL: \(shown)]"
        }
        return text
    }
}

// MARK: - Construction (internal)

extension SQLiteError {
    /// The error SQLite reported on `handle` for result code `code`.
    static func sqlite(code: Int32, handle: OpaquePointer?, sql: String?) -> SQLiteError {
        let extended = handle.map { sqlite3_extended_errcode($0) } ?? code
        let text: String
        if let handle, let cMessage = sqlite3_errmsg(handle) {
            text = String(cString: cMessage)
        } else if let cMessage = sqlite3_errstr(code) {
            text = String(cString: cMessage)
        } else {
            text = "SQLite result code \(code)"
        }
        return SQLiteError(
            kind: .sqlite,
            resultCode: code & 0xFF,
            extendedResultCode: extended != 0 ? extended : code,
            message: text,
            sql: sql
        )
    }

    /// An SQLite error with an explicit message (for calls such as `sqlite3_exec` that hand the
    /// message back themselves).
    static func sqlite(code: Int32, extendedCode: Int32, message: String, sql: String?) -> SQLiteError {
        SQLiteError(kind: .sqlite, resultCode: code & 0xFF, extendedResultCode: extendedCode, message: message, sql: sql)
    }

    static func misuse(_ kind: Kind, _ message: String, sql: String?) -> SQLiteError {
        SQLiteError(kind: kind, resultCode: SQLITE_MISUSE, message: message, sql: sql)
    }

    static func failure(_ kind: Kind, _ message: String, sql: String?) -> SQLiteError {
        SQLiteError(kind: kind, resultCode: SQLITE_ERROR, message: message, sql: sql)
    }

    static func databaseClosed(_ operation: String) -> SQLiteError {
        .misuse(.databaseClosed, "\(operation) refused: the database is closed (or closing); open it again", sql: nil)
    }

    /// Wraps an error thrown by a migration's SQL, keeping SQLite's codes.
    static func migrationFailed(version: Int, name: String, underlying: SQLiteError) -> SQLiteError {
        SQLiteError(
            kind: .migrationFailed,
            resultCode: underlying.resultCode,
            extendedResultCode: underlying.extendedResultCode,
            message: "migration \(version) '\(name)' failed and was rolled back: \(underlying.message)",
            sql: underlying.sql
        )
    }
}
