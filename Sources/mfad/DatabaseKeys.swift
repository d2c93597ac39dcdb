import Logging
import MFACore
import NIOCore
import NIOPosix

/// A store opened with its data keys: what every command that works on a database needs.
struct KeyedStorage {
    let storage: any ServiceStorage
    let keys: DataKeys
    /// Where the master key came from, for the startup log (never the key).
    let masterKeyOrigin: String
}

extension StoreOptions {
    /// Opens the database and its data keys (making them on a new database, and sealing any
    /// outbox content left in clear by a version before schema 6).
    /// - Throws: ``MasterKeyError`` (the storage closed again) when the master key is not the
    ///   database's, or a storage error.
    func openKeyedStorage(eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                           logger: Logger) async throws -> KeyedStorage {
        let master = try masterKey()
        let previous = try previousMasterKeys()
        let storage = try await openStorage(eventLoopGroup: eventLoopGroup, logger: logger)
        do {
            let keys = try await DataKeys.establish(in: storage, master: master.key, previous: previous, random: SystemRandomSource())
            try await OutboxSealer(vault: keys.vault).sealUnsealedContents(in: storage)
            return KeyedStorage(storage: storage, keys: keys, masterKeyOrigin: master.origin)
        } catch {
            await storage.close()
            throw error
        }
    }
}
