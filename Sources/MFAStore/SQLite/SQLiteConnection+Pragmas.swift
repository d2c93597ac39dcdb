import CSQLite

extension SQLiteConnection {
    /// Reads a pragma's current value (`PRAGMA name`).
    /// - Parameters:
    ///   - name: The pragma name: letters, digits and `_` only (it is part of the SQL text).
    /// - Returns: The first column of the first row, or `nil` when the pragma returns no row.
    /// - Throws: ``SQLiteError``; `invalidStatement` for a name that is not a plain identifier.
    public func pragma(_ name: String) throws -> SQLiteValue? {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw SQLiteError.misuse(.invalidStatement, "'\(name)' is not a pragma name", sql: nil)
        }
        return try queryOne("PRAGMA \(name)")?.value(at: 0)
    }

    /// Sets up the writer connection: `journal_mode=WAL` (unless `useWAL` is false, for the
    /// in-memory test database), `synchronous=FULL` and `foreign_keys=ON`, each read back.
    func applyWriterPragmas(useWAL: Bool) throws {
        if useWAL {
            // Setting journal_mode returns the mode in force; read it back separately as well.
            _ = try queryOne("PRAGMA journal_mode=WAL")
            try expectPragma(
                "journal_mode",
                equals: .text("wal"),
                hint: "WAL needs a database file on a local file system (not :memory:, not a read-only directory)"
            )
        }
        try execute("PRAGMA synchronous=FULL")
        try expectPragma("synchronous", equals: .integer(2), hint: "FULL (2) is required for durable commits")
        try execute("PRAGMA foreign_keys=ON")
        try expectPragma("foreign_keys", equals: .integer(1), hint: "this SQLite may be built without foreign keys")
    }

    /// Sets up a reader connection: `query_only=ON`, read back, on top of the read-only open.
    func applyReaderPragmas() throws {
        try execute("PRAGMA query_only=ON")
        try expectPragma("query_only", equals: .integer(1), hint: "readers must never write")
    }

    private func expectPragma(_ name: String, equals expected: SQLiteValue, hint: String) throws {
        var actual = try pragma(name) ?? .null
        if case .text(let text) = actual {
            actual = .text(text.lowercased())
        }
        guard actual == expected else {
            throw SQLiteError.failure(
                .pragmaNotApplied,
                "PRAGMA \(name) reads back \(Self.describe(actual)) after setting \(Self.describe(expected)) on '\(path)': \(hint)",
                sql: "PRAGMA \(name)"
            )
        }
    }

    private static func describe(_ value: SQLiteValue) -> String {
        switch value {
        case .integer(let integer): "\(integer)"
        case .real(let real): "\(real)"
        case .text(let text): "'\(text)'"
        case .blob(let bytes): "a \(bytes.count)-byte blob"
        case .null: "nothing"
        }
    }
}
