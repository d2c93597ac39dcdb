import ArgumentParser
import Logging
import MFACore

/// `mfad keys`: key management on a database file.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the API keys of calling services and the master key of an mfad database.",
        subcommands: [CreateKey.self, ListKeys.self, RevokeKey.self, RotateMaster.self]
    )
}

/// The API-key store of the database `options` name.
private func apiKeys(_ options: StoreOptions) async throws -> (APIKeys, any ServiceStorage) {
    let keyed = try await options.openKeyedStorage(logger: Logger(label: "mfad.keys"))
    return (APIKeys(storage: keyed.storage, digester: keyed.keys.digester, random: SystemRandomSource(), clock: SystemClock()),
            keyed.storage)
}

/// `mfad keys create SERVICE`: prints a new API key for a calling service.
struct CreateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API key for a calling service and print it (shown this once; only its hash is stored).")

    @Argument(help: "The service's name, e.g. portal ([a-z0-9._-], at most 64).")
    var service: String

    @Option(help: "Register this key instead of making a random one (e.g. one kept in a secret manager).")
    var key: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (keys, storage) = try await apiKeys(store)
        let created = try await keys.create(service: service, key: key)
        await storage.close()
        print(created.key)
    }
}

/// `mfad keys list`: the keys and their state, never the keys themselves.
struct ListKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List API keys: id, service, created, revoked.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (keys, storage) = try await apiKeys(store)
        let records = try await keys.list()
        await storage.close()
        for record in records {
            let state = record.revokedAt.map { "revoked \($0)" } ?? "active"
            print("\(record.id)  \(record.service)  created \(record.createdAt)  \(state)")
        }
    }
}

/// `mfad keys revoke ID|SERVICE`.
struct RevokeKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke the API key with this id, or every key of this service. Open connections keep working until they reconnect.")

    @Argument(help: "A key id from 'mfad keys list', or a service name.")
    var idOrService: String

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (keys, storage) = try await apiKeys(store)
        let count = try await keys.revoke(idOrService)
        await storage.close()
        print("revoked \(count) key(s)")
        if count == 0 { throw ExitCode(1) }
    }
}

/// `mfad keys rotate-master`: re-seals the database's data keys under a new master key.
///
/// Only the two data keys change (one write transaction, safe while mfad runs): every session,
/// device token, API key, recovery code and sealed secret stays valid. Running nodes keep their
/// keys in memory; restart each with `--master-key-file NEW` (a node restarted with the old key
/// alone refuses to start, unless given `--previous-master-key-file OLD` meanwhile).
struct RotateMaster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-master",
        abstract: "Re-seal the database's data keys from the old master key to the new one."
    )

    @Option(help: "The database: a SQLite file or a postgres:// URL (password from MFAD_DB_PASSWORD).")
    var db: String = "./mfa.sqlite"

    @Option(help: "File with the current (old) master key.")
    var oldKeyFile: String

    @Option(help: "File with the new master key.")
    var newKeyFile: String

    func run() async throws {
        let old = try MasterKeySource.read(oldKeyFile)
        let new = try MasterKeySource.read(newKeyFile)
        let storage = try await StorageOpener.open(try StoreOptions.databaseLocation(db), logger: Logger(label: "mfad.keys"))
        let rotated: Bool
        do {
            rotated = try await DataKeys.rotate(in: storage, from: old, to: new)
        } catch {
            await storage.close()
            throw error
        }
        await storage.close()
        print(rotated ? "data keys re-sealed under master key \(String(new.id, radix: 16))"
                      : "data keys already sealed under master key \(String(new.id, radix: 16)); nothing to do")
    }
}
