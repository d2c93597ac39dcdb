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
    let storage = try await options.openStorage(logger: Logger(label: "mfad.keys"))
    let clock = SystemClock()
    return (APIKeys(storage: storage, digester: SecretDigester(key: try options.masterKey().hashingKey),
                    random: SystemRandomSource(), clock: clock), storage)
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

/// `mfad keys rotate-master`: re-seals every secret at rest under a new master key.
///
/// Procedure: restart mfad with `--master-key-file NEW --previous-master-key-file OLD`, run this
/// command (safe while mfad runs: it is one write transaction), then drop the previous key.
struct RotateMaster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-master",
        abstract: "Re-encrypt every TOTP secret from the old master key to the new one."
    )

    @Option(help: "The database: a SQLite file or a postgres:// URL (password from MFAD_DB_PASSWORD).")
    var db: String = "./mfa.sqlite"

    @Option(help: "File with the current (old) master key.")
    var oldKeyFile: String

    @Option(help: "File with the new master key.")
    var newKeyFile: String

    func run() async throws {
        let old = try MasterKey.load(file: oldKeyFile).sealingKey
        let new = try MasterKey.load(file: newKeyFile).sealingKey
        let vault = SecretVault(current: new, previous: [old])
        let storage = try await StorageOpener.open(try StoreOptions.databaseLocation(db), logger: Logger(label: "mfad.keys"))
        let count = try await storage.write { tx in
            var resealed = 0
            for secret in try tx.sealedSecrets() where vault.needsResealing(secret.sealed) {
                let plain = try vault.open(secret.sealed, context: secret.associatedData)
                try tx.replaceSealedSecret(secret, with: try vault.seal(plain, context: secret.associatedData))
                resealed += 1
            }
            return resealed
        }
        await storage.close()
        print("re-sealed \(count) secret(s) under key \(String(new.id, radix: 16))")
    }
}
