import Foundation
import MFACore
import MFASQL

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

    public func write<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) async throws -> T) async throws -> T {
        try await Self.committing {
            try await database.write { connection in
                let tx = SQLiteMFATransaction(connection: connection)
                return (try await body(tx), tx.afterCommit.take())
            }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) async throws -> T) async throws -> T {
        try await Self.committing {
            try await database.read { connection in
                let tx = SQLiteMFATransaction(connection: connection)
                return (try await body(tx), tx.afterCommit.take())
            }
        }
    }

    /// Waits for queued writes, then closes every connection.
    public func close() async {
        await database.close()
    }
}

extension SQLiteMFAStorage {
    /// The outbox of the database at `path`, opened with its data keys, read through a read-only
    /// connection while mfad may be running (WAL lets readers in beside the writer). For
    /// `mfactl outbox --db`: held and queued messages show their codes, sent and dead ones nothing.
    /// - Parameters:
    ///   - path: The SQLite file.
    ///   - master: The database's master key.
    /// - Throws: `SQLiteError` when the file cannot be opened or read; ``MasterKeyError`` when
    ///   `master` is not the database's; `CryptoError` when a content does not open.
    public static func openedOutboxMessages(atPath path: String, master: MasterKey) async throws -> [OpenedOutboxMessage] {
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        defer { connection.close() }
        let tx = SQLiteMFATransaction(connection: connection)
        let sealer = OutboxSealer(vault: try await DataKeys.open(in: tx, master: master).vault)
        return try await tx.outboxMessages().map(sealer.open)
    }

    /// ``openedOutboxMessages(atPath:master:)`` with the master key read from `masterKeyFile`
    /// (64 hex digits; `--dev` writes one beside the database as `PATH.key`).
    /// - Throws: ``MasterKeyError`` when the file cannot be read or holds no key; see the other.
    public static func openedOutboxMessages(atPath path: String, masterKeyFile: String) async throws -> [OpenedOutboxMessage] {
        guard let text = try? String(contentsOfFile: masterKeyFile, encoding: .utf8) else {
            throw MasterKeyError("cannot read the master key file \(masterKeyFile): give the database's key with --master-key-file or MFAD_MASTER_KEY")
        }
        return try await openedOutboxMessages(atPath: path, master: try MasterKey(hex: text, source: masterKeyFile))
    }
}
