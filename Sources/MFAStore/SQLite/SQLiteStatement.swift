import CSQLite

/// A prepared statement owned by one ``SQLiteConnection``: either kept in the connection's cache
/// (prepared with `SQLITE_PREPARE_PERSISTENT`) or a one-off that is finalised after use.
///
/// Not `Sendable`: used only on its connection's thread.
final class SQLiteStatement {
    let handle: OpaquePointer
    let sql: String
    let isCached: Bool
    /// True while a call is stepping it; a nested call with the same SQL then gets a one-off
    /// statement instead of resetting this one under the outer call's feet.
    var isInUse = false

    init(handle: OpaquePointer, sql: String, isCached: Bool) {
        self.handle = handle
        self.sql = sql
        self.isCached = isCached
    }

    func finalize() {
        sqlite3_finalize(handle)
    }

    /// Binds `values` to the statement's `?` parameters, in order. Text and blobs are bound with
    /// `SQLITE_TRANSIENT`, so SQLite copies them before this returns.
    func bind(_ values: [SQLiteValue], connection: OpaquePointer) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw SQLiteError.misuse(
                .bindingMismatch,
                "the SQL has \(expected) parameters but \(values.count) values were bound",
                sql: sql
            )
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .integer(let integer):
                result = sqlite3_bind_int64(handle, index, integer)
            case .real(let real):
                result = sqlite3_bind_double(handle, index, real)
            case .text(var text):
                result = text.withUTF8 { bytes in
                    // A NULL pointer would bind SQL NULL: an empty string needs a real (empty) one.
                    guard let base = bytes.baseAddress, bytes.count > 0 else {
                        return sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                        sqlite3_bind_text64(
                            handle, index, characters, sqlite3_uint64(bytes.count), csqlite_transient(),
                            UInt8(SQLITE_UTF8)
                        )
                    }
                }
            case .blob(let bytes):
                result = bytes.withUnsafeBytes { buffer in
                    // Likewise, a NULL pointer would bind NULL: an empty blob is a zero-length blob.
                    guard let base = buffer.baseAddress, buffer.count > 0 else {
                        return sqlite3_bind_zeroblob(handle, index, 0)
                    }
                    return sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(buffer.count), csqlite_transient())
                }
            case .null:
                result = sqlite3_bind_null(handle, index)
            }
            guard result == SQLITE_OK else {
                throw SQLiteError.sqlite(code: result, handle: connection, sql: sql)
            }
        }
    }

    /// Steps once.
    /// - Returns: `true` when a row is ready, `false` when the statement is done.
    func step(connection: OpaquePointer) throws -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            throw SQLiteError.sqlite(code: result, handle: connection, sql: sql)
        }
    }

    /// Resets the statement (ending its implicit read, so no snapshot is held) and drops its bound
    /// values (so no secret stays in SQLite's memory longer than the call).
    func resetAndClearBindings() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: - Reading columns

    static func columnValue(_ statement: OpaquePointer, _ column: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            // Pointer first, then the byte count (SQLite's documented order).
            guard let text = sqlite3_column_text(statement, column) else {
                return .text("")
            }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let blob = sqlite3_column_blob(statement, column) else {
                return .blob([])  // a zero-length blob comes back as a NULL pointer
            }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }

    static func columnNames(_ statement: OpaquePointer) -> [String] {
        (0..<sqlite3_column_count(statement)).map { column in
            sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
        }
    }

    static func materializeRow(_ statement: OpaquePointer, names: [String]? = nil, sql: String) -> SQLiteRow {
        let names = names ?? columnNames(statement)
        let values = (0..<Int32(names.count)).map { columnValue(statement, $0) }
        return SQLiteRow(columnNames: names, values: values, sql: sql)
    }
}
