import ArgumentParser
import MFACore
import MFAStore

/// `mfad keys`: key management on a database file.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the keys of an mfad database.",
        subcommands: [RotateMaster.self]
    )
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

    @Option(help: "The database file.")
    var db: String = "./mfa.sqlite"

    @Option(help: "File with the current (old) master key.")
    var oldKeyFile: String

    @Option(help: "File with the new master key.")
    var newKeyFile: String

    func run() async throws {
        let old = try MasterKey.load(file: oldKeyFile).sealingKey
        let new = try MasterKey.load(file: newKeyFile).sealingKey
        let vault = SecretVault(current: new, previous: [old])
        let storage = try await SQLiteMFAStorage.open(path: db)
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
