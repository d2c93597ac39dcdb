import Logging
import MFACore
import MFAOperations
import MFAPostgresStore
import MFAStore
import NIOCore
import NIOPosix

/// Opens the store engine `--db` selects; everything after works on `any ServiceStorage`.
enum StorageOpener {
    /// Opens (creating or migrating as needed) the database at `location`.
    /// - Parameters:
    ///   - location: the SQLite file or the PostgreSQL URL.
    ///   - poolSize: PostgreSQL connections of this node (SQLite sizes its own readers).
    ///   - eventLoopGroup: the loops PostgreSQL's connections run on (SQLite binds a reader to
    ///     each loop that calls it, whichever group it belongs to).
    ///   - logger: where the engine logs (never passwords).
    /// - Throws: the engine's error when the database cannot be opened or migrated.
    static func open(_ location: DatabaseLocation, poolSize: Int = 8,
                     eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                     logger: Logger) async throws -> any ServiceStorage {
        switch location {
        case .sqlite(let path):
            return try await SQLiteMFAStorage.open(path: path)
        case .postgres(let url):
            // The URL's password, else MFAD_DB_PASSWORD (PostgresLocation reads the environment).
            return try await PostgresMFAStorage.open(url: url, poolSize: poolSize, eventLoopGroup: eventLoopGroup, logger: logger)
        }
    }
}
