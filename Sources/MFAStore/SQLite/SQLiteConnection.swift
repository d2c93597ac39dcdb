import CSQLite

/// One SQLite connection: opens a database file, runs statements through a cache of prepared
/// statements, and reads rows with typed accessors.
///
/// A connection is used by one thread at a time and is deliberately not `Sendable`:
/// ``SQLiteDatabase`` keeps each of its connections on a thread of its own and lends it to the
/// closures passed to ``SQLiteDatabase/write(_:)`` and ``SQLiteDatabase/read(_:)``; such a closure
/// must not keep the connection after it returns. The connection closes when it is deinitialised.
///
/// SQL text is yours (static strings with `?` parameters); values always go through bindings, so
/// they never appear in SQL text, statement caches or errors.
public final class SQLiteConnection {
    /// How a connection opens its file.
    public enum Mode: Sendable, Hashable {
        /// Read and write; the file is created if it does not exist.
        case readWriteCreate
        /// Read only: SQLite refuses every change with `SQLITE_READONLY`.
        case readOnly
    }

    /// The path (or, for an in-memory database, the URI) that was opened.
    public let path: String
    /// How the file was opened.
    public let mode: Mode
    /// How many prepared statements the cache keeps at most; statements past it are prepared for
    /// one use and finalised.
    public let statementCacheCapacity: Int

    let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    private var isClosed = false

    /// Opens a connection.
    /// - Parameters:
    ///   - path: The database file. In ``Mode/readWriteCreate`` it is created if missing.
    ///   - mode: Read-write-create (default) or read-only.
    ///   - busyTimeout: How long a statement waits for another connection's lock before failing
    ///     with `SQLITE_BUSY` (see ``SQLiteError/isBusy``). Default 5 seconds.
    ///   - statementCacheCapacity: How many prepared statements to keep (default 128).
    /// - Throws: ``SQLiteError`` when the file cannot be opened.
    public convenience init(
        path: String,
        mode: Mode = .readWriteCreate,
        busyTimeout: Duration = .seconds(5),
        statementCacheCapacity: Int = 128
    ) throws {
        try self.init(
            path: path,
            mode: mode,
            busyTimeout: busyTimeout,
            statementCacheCapacity: statementCacheCapacity,
            isURI: false
        )
    }

    /// Opens a connection; `isURI` lets SQLite read `path` as a `file:` URI (used for the shared
    /// in-memory database of tests).
    init(path: String, mode: Mode, busyTimeout: Duration, statementCacheCapacity: Int, isURI: Bool) throws {
        // NOMUTEX: SQLite's own per-connection mutex is not needed, since one thread at a time uses
        // a connection (this type is not Sendable).
        var flags = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readWriteCreate:
            flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly:
            flags |= SQLITE_OPEN_READONLY
        }
        if isURI {
            flags |= SQLITE_OPEN_URI
        }
        var opened: OpaquePointer?
        let result = sqlite3_open_v2(path, &opened, flags, nil)
        guard result == SQLITE_OK, let opened else {
            // SQLite may hand back a handle even on failure; it carries the message and must be closed.
            let cause = SQLiteError.sqlite(code: result, handle: opened, sql: nil)
            sqlite3_close_v2(opened)
            throw SQLiteError.sqlite(
                code: cause.resultCode,
                extendedCode: cause.extendedResultCode,
                message: "cannot open the database at '\(path)' (\(mode)): \(cause.message); check that the directory exists and is writable",
                sql: nil
            )
        }
        self.handle = opened
        self.path = path
        self.mode = mode
        self.statementCacheCapacity = max(0, statementCacheCapacity)
        sqlite3_extended_result_codes(opened, 1)
        sqlite3_busy_timeout(opened, Self.milliseconds(busyTimeout))
    }

    deinit {
        close()
    }

    /// Finalises every cached statement and closes the handle. Further calls throw
    /// ``SQLiteError/Kind/databaseClosed``. Internal: a closure lent a connection must not close it.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        for statement in statements.values {
            statement.finalize()
        }
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: - State

    /// The rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 {
        sqlite3_last_insert_rowid(handle)
    }

    /// True while a transaction is open (SQLite is not in autocommit mode).
    public var isInTransaction: Bool {
        sqlite3_get_autocommit(handle) == 0
    }

    /// How many prepared statements the cache holds now.
    public var cachedStatementCount: Int {
        statements.count
    }

    // MARK: - Running SQL

    /// Runs a script of one or more statements with no parameters and no result rows (schema,
    /// pragmas, `BEGIN`/`COMMIT`). Statements are not cached.
    /// - Parameters:
    ///   - sql: The SQL script. Never put values in it: bind them with ``run(_:_:)``.
    /// - Throws: ``SQLiteError`` for the first statement that fails; the ones before it stay run.
    public func execute(_ sql: String) throws {
        try checkOpen(sql)
        var errorMessage: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard result == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) }
                ?? sqlite3_errstr(result).map { String(cString: $0) }
                ?? "SQLite result code \(result)"
            sqlite3_free(errorMessage)
            throw SQLiteError.sqlite(
                code: result,
                extendedCode: sqlite3_extended_errcode(handle),
                message: message,
                sql: sql
            )
        }
    }

    /// Runs one statement (INSERT, UPDATE, DELETE, DDL, ...) with bound values, stepping it to the end.
    /// - Parameters:
    ///   - sql: One SQL statement with `?` parameters.
    ///   - bindings: One value per `?`, in order.
    /// - Returns: The number of rows the statement inserted, updated or deleted (rows changed by
    ///   triggers are not counted); 0 for other statements.
    /// - Throws: ``SQLiteError``: SQLite's error (constraint, busy, ...), or `bindingMismatch` /
    ///   `invalidStatement` for a wrong call.
    @discardableResult
    public func run(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> Int {
        try withStatement(sql, bindings) { statement in
            let totalBefore = sqlite3_total_changes64(handle)
            while try statement.step(connection: handle) {}
            // changes() keeps the count of the last INSERT/UPDATE/DELETE even across DDL and
            // SELECTs; when nothing changed at all this statement changed nothing.
            return sqlite3_total_changes64(handle) == totalBefore ? 0 : Int(sqlite3_changes64(handle))
        }
    }

    /// Runs a query and copies every result row.
    /// - Parameters:
    ///   - sql: One SQL statement with `?` parameters.
    ///   - bindings: One value per `?`, in order.
    /// - Returns: The rows, in the order SQLite returned them.
    /// - Throws: ``SQLiteError``.
    public func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> [SQLiteRow] {
        try withStatement(sql, bindings) { statement in
            var rows: [SQLiteRow] = []
            var names: [String]?
            while try statement.step(connection: handle) {
                let rowNames = names ?? SQLiteStatement.columnNames(statement.handle)
                names = rowNames
                rows.append(SQLiteStatement.materializeRow(statement.handle, names: rowNames, sql: sql))
            }
            return rows
        }
    }

    /// Runs a query and copies its first row only.
    /// - Parameters:
    ///   - sql: One SQL statement with `?` parameters.
    ///   - bindings: One value per `?`, in order.
    /// - Returns: The first row, or `nil` when there is none. Further rows are not read.
    /// - Throws: ``SQLiteError``.
    public func queryOne(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> SQLiteRow? {
        try withStatement(sql, bindings) { statement in
            guard try statement.step(connection: handle) else {
                return nil
            }
            return SQLiteStatement.materializeRow(statement.handle, sql: sql)
        }
    }

    /// Runs a query and hands each row to `body` without copying rows into an array.
    /// - Parameters:
    ///   - sql: One SQL statement with `?` parameters.
    ///   - bindings: One value per `?`, in order.
    ///   - body: Called once per row with a cursor on it; valid only during that call. Throwing
    ///     stops the iteration and is rethrown.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    public func forEachRow(
        _ sql: String,
        _ bindings: [SQLiteValue] = [],
        _ body: (borrowing SQLiteRowCursor) throws -> Void
    ) throws {
        try withStatement(sql, bindings) { statement in
            while try statement.step(connection: handle) {
                let cursor = SQLiteRowCursor(statement: statement.handle, sql: sql)
                try body(cursor)
            }
        }
    }

    /// Runs a query and hands the prepared statement, stepped onto each row, to `body` (for
    /// ``SQLiteSession``, which reads columns by index without copying the row).
    func forEachStatementRow(_ sql: String, _ bindings: [SQLiteValue], _ body: (OpaquePointer) throws -> Void) throws {
        try withStatement(sql, bindings) { statement in
            while try statement.step(connection: handle) {
                try body(statement.handle)
            }
        }
    }

    // MARK: - Statements

    private func checkOpen(_ sql: String?) throws {
        if isClosed {
            throw SQLiteError.misuse(.databaseClosed, "the connection to '\(path)' is closed", sql: sql)
        }
    }

    private func withStatement<Result>(
        _ sql: String,
        _ bindings: [SQLiteValue],
        _ body: (SQLiteStatement) throws -> Result
    ) throws -> Result {
        try checkOpen(sql)
        let statement = try acquireStatement(sql)
        defer { releaseStatement(statement) }
        try statement.bind(bindings, connection: handle)
        return try body(statement)
    }

    private func acquireStatement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] {
            if !cached.isInUse {
                cached.isInUse = true
                return cached
            }
            // The same SQL is being stepped by an outer call (nested forEachRow): use a one-off.
            return try prepare(sql, cache: false)
        }
        let statement = try prepare(sql, cache: statements.count < statementCacheCapacity)
        if statement.isCached {
            statements[sql] = statement
            statement.isInUse = true
        }
        return statement
    }

    private func releaseStatement(_ statement: SQLiteStatement) {
        statement.resetAndClearBindings()
        if statement.isCached {
            statement.isInUse = false
        } else {
            statement.finalize()
        }
    }

    private func prepare(_ sql: String, cache: Bool) throws -> SQLiteStatement {
        guard !sql.utf8.contains(0) else {
            throw SQLiteError.misuse(.invalidStatement, "the SQL contains a NUL byte", sql: sql)
        }
        var prepared: OpaquePointer?
        var remainder = ""
        let flags = cache ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let result = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            // The byte count includes the terminating NUL, which spares SQLite a copy.
            let result = sqlite3_prepare_v3(handle, text, Int32(sql.utf8.count + 1), flags, &prepared, &tail)
            if result == SQLITE_OK, let tail {
                remainder = String(cString: tail)
            }
            return result
        }
        guard result == SQLITE_OK else {
            sqlite3_finalize(prepared)
            throw SQLiteError.sqlite(code: result, handle: handle, sql: sql)
        }
        guard let prepared else {
            throw SQLiteError.misuse(.invalidStatement, "the SQL holds no statement", sql: sql)
        }
        guard remainder.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            sqlite3_finalize(prepared)
            throw SQLiteError.misuse(
                .invalidStatement,
                "the SQL holds more than one statement; run scripts with execute(_:)",
                sql: sql
            )
        }
        return SQLiteStatement(handle: prepared, sql: sql, isCached: cache)
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow || seconds < 0 {
            return seconds < 0 ? 0 : Int32.max
        }
        return Int32(clamping: scaled + attoseconds / 1_000_000_000_000_000)
    }
}

@available(*, unavailable, message: "a connection belongs to one thread; share an SQLiteDatabase instead")
extension SQLiteConnection: Sendable {}
