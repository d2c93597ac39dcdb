import Logging
import MFACore
import MFAOperations
import MFAStore

/// Opens the store engine `--db` selects; everything after works on `any ServiceStorage`.
enum StorageOpener {
    /// Opens (creating or migrating as needed) the database at `location`.
    /// - Throws: the engine's error when the database cannot be opened or migrated.
    static func open(_ location: DatabaseLocation, logger: Logger) async throws -> any ServiceStorage {
        switch location {
        case .sqlite(let path):
            return try await SQLiteMFAStorage.open(path: path)
        case .postgres:
            throw StorageOpenerError.engineMissing
        }
    }
}

enum StorageOpenerError: Error, CustomStringConvertible {
    case engineMissing

    var description: String { "this build has no PostgreSQL engine" }
}
