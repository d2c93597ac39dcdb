import MFAStorageTestSupport
@testable import MFACore
import Testing

/// The key hierarchy on both engines: data keys made once and opened by the same master key only,
/// rotation re-seals them without changing them, and a database from before the hierarchy adopts
/// the keys derived from its master key, refusing another one.
@Suite("Contract: data keys under the master key")
struct DataKeysContractTests {
    static let keyA = MasterKey.testMode(seed: 1)
    static let keyB = MasterKey.testMode(seed: 2)

    /// What a data key's digest of a fixed secret is: equal digests mean the same hashing key.
    static func fingerprint(_ keys: DataKeys) -> [UInt8] {
        keys.digester.digest(.session, "a session token")
    }

    static func establish(_ storage: any ServiceStorage, _ master: MasterKey, previous: [MasterKey] = []) async throws -> DataKeys {
        try await DataKeys.establish(in: storage, master: master, previous: previous, random: SystemRandomSource())
    }

    @Test(arguments: Engine.allCases)
    func madeOnceAndOpenedOnlyUnderTheirMasterKey(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let first = try await Self.establish(storage, Self.keyA)
            let again = try await Self.establish(storage, Self.keyA)
            #expect(Self.fingerprint(first) == Self.fingerprint(again))
            #expect(first.vault.currentKeyID == again.vault.currentKeyID)
            // A new database's keys are random, not derived from the master key.
            #expect(Self.fingerprint(first) != SecretDigester(key: Self.keyA.legacyHashingKey).digest(.session, "a session token"))

            await #expect(throws: MasterKeyError.self) { try await Self.establish(storage, Self.keyB) }
            // During a rotation the database's key may come as the previous one.
            let viaPrevious = try await Self.establish(storage, Self.keyB, previous: [Self.keyA])
            #expect(Self.fingerprint(viaPrevious) == Self.fingerprint(first))
        }
    }

    @Test(arguments: Engine.allCases)
    func rotationResealsTheSameKeys(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            let before = try await Self.establish(storage, Self.keyA)
            let sealed = try await storage.read { tx in try await tx.setting(DataKeys.Setting.hashingKey) }
            #expect(try await DataKeys.rotate(in: storage, from: Self.keyA, to: Self.keyB))
            #expect(try await DataKeys.rotate(in: storage, from: Self.keyA, to: Self.keyB) == false)
            #expect(try await storage.read { tx in try await tx.setting(DataKeys.Setting.hashingKey) } != sealed)

            let after = try await storage.read { tx in try await DataKeys.open(in: tx, master: Self.keyB) }
            #expect(Self.fingerprint(after) == Self.fingerprint(before))
            #expect(after.vault.currentKeyID == before.vault.currentKeyID)
            await #expect(throws: MasterKeyError.self) { try await storage.read { tx in try await DataKeys.open(in: tx, master: Self.keyA) } }
            // Rotating from a key that is not the database's changes nothing.
            await #expect(throws: MasterKeyError.self) {
                try await DataKeys.rotate(in: storage, from: Self.keyA, to: MasterKey.testMode(seed: 3))
            }
        }
    }

    @Test(arguments: Engine.allCases)
    func aDatabaseFromBeforeTheHierarchyAdoptsItsDerivedKeys(engine: Engine) async throws {
        try await TestSupport.withStore(engine) { storage in
            // What schema 5 left: a TOTP secret sealed under the key derived from master key A,
            // marked by migration 6.
            let legacyVault = SecretVault(current: Self.keyA.legacySealingKey)
            try await storage.write { tx in
                try await tx.setSetting(DataKeys.Setting.legacyKeys, "1")
                try await tx.insertAccount(Fixtures.account())
                var totp = Fixtures.totp()
                totp.sealedSecret = try legacyVault.seal(Array(repeating: 1, count: 20), context: "ctx")
                try await tx.setTOTPAuthenticator(totp)
            }
            // Another key is refused: the secret says which key sealed it.
            await #expect(throws: MasterKeyError.self) { try await Self.establish(storage, Self.keyB) }

            let adopted = try await Self.establish(storage, Self.keyA)
            #expect(Self.fingerprint(adopted) == SecretDigester(key: Self.keyA.legacyHashingKey).digest(.session, "a session token"))
            let secret = try await storage.read { tx in try await tx.totpAuthenticator(accountID: "acct-1") }?.sealedSecret ?? []
            #expect(try adopted.vault.open(secret, context: "ctx") == Array(repeating: 1, count: 20))
        }
    }
}
