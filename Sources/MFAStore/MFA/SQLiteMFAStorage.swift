import MFACore

/// `MFAStorage` on one SQLite file: every write goes through the group-commit writer (one
/// `BEGIN IMMEDIATE` transaction per batch, each request in its own savepoint, answered only
/// after the commit is durable), reads go to WAL reader connections.
public final class SQLiteMFAStorage: MFAStorage {
    /// The database underneath (for statistics, backup and closing).
    public let database: SQLiteDatabase

    private init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Opens (creating if missing) the database at `path` and applies the schema migrations.
    /// - Throws: `SQLiteError` when the file cannot be opened, WAL or `synchronous=FULL` do not
    ///   take, or the file's schema is newer than this build.
    public static func open(path: String, configuration: SQLiteDatabase.Configuration = .init()) async throws -> SQLiteMFAStorage {
        SQLiteMFAStorage(database: try await SQLiteDatabase.open(path: path, configuration: configuration, migrations: MFASchema.migrations))
    }

    /// An in-memory database with the same schema, for tests.
    public static func openInMemory() async throws -> SQLiteMFAStorage {
        SQLiteMFAStorage(database: try await SQLiteDatabase.openInMemory(migrations: MFASchema.migrations))
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) throws -> T) async throws -> T {
        try await database.write { connection in try body(SQLiteMFATransaction(connection: connection)) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) throws -> T) async throws -> T {
        try await database.read { connection in try body(SQLiteMFATransaction(connection: connection)) }
    }

    /// Waits for queued writes, then closes every connection.
    public func close() async {
        await database.close()
    }
}

extension SQLiteMFAStorage {
    /// The outbox of the database at `path`, read through a read-only connection while mfad may
    /// be running (WAL lets readers in beside the writer). For `mfactl outbox --db`.
    /// - Throws: `SQLiteError` when the file cannot be opened or read.
    public static func outboxMessages(atPath path: String) throws -> [OutboxRecord] {
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        return try SQLiteMFATransaction(connection: connection).outboxMessages()
    }
}
