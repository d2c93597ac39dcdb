import MFACrypto

/// The keys that protect data (SPEC 8.1): a hashing key for every keyed hash (codes, links,
/// sessions, device tokens, recovery codes, API keys, throttle keys) and a sealing key for
/// secrets at rest (TOTP secrets, outbox contents). Both live in the database's settings, sealed
/// under the master key (``MasterKey``) with a key-check value beside them, so that
///
/// - rotating the master key re-seals these two values only (``rotate(in:from:to:)``): every
///   session, device token, API key and recovery code keeps working;
/// - a node started with a master key that is not the database's refuses to start
///   (``establish(in:master:previous:random:)`` throws) instead of treating everything as unknown;
/// - the first node to start on a new database makes them, and every later node, also on another
///   machine sharing PostgreSQL, opens the same ones (the write is serialised; a second node
///   with another key loses the race and refuses).
///
/// A database made before the hierarchy (schema 5 with data; migration 6 marks it) adopts the
/// keys it was using, derived from its master key, so its hashes and secrets stay valid; a new
/// database gets random keys.
public struct DataKeys: Sendable {
    /// Keyed hashes under the hashing key.
    public let digester: SecretDigester
    /// Seals and opens secrets under the sealing key.
    public let vault: SecretVault

    /// Setting names (also read by operators' tools; never change them).
    public enum Setting {
        /// Hex of the master key's check value the data keys are sealed under.
        public static let masterKeyCheck = "master_key_check"
        /// Hex of the sealed hashing key.
        public static let hashingKey = "data_key_hashing"
        /// Hex of the sealed sealing key (its 4-byte id, then the key).
        public static let sealingKey = "data_key_sealing"
        /// Present when migration 6 found data made before the hierarchy.
        public static let legacyKeys = "data_keys_legacy"
    }

    private static let hashingContext = "mfad/data-key/v1/hashing"
    private static let sealingContext = "mfad/data-key/v1/sealing"

    // Every seal and open happens outside the storage's transactions, on the caller's thread:
    // OpenSSL keeps per-thread state (random generators, error queues) on the threads that use
    // it, and a store's own threads end when it closes, racing a short command's exit.

    /// Opens the database's data keys, making them first if it has none.
    ///
    /// Call it at start-up, before serving.
    /// - Parameters:
    ///   - storage: The database.
    ///   - master: The configured master key.
    ///   - previous: Older master keys still accepted during a rotation (`--previous-master-key-file`).
    ///   - random: Where new keys come from (the system's random source: keys never come from
    ///     test mode's seeded stream).
    /// - Returns: The keys.
    /// - Throws: ``MasterKeyError`` when neither key is the database's (also when another node made
    ///   the keys first under another key), or the stored keys do not open; a storage error.
    public static func establish(in storage: any MFAStorage, master: MasterKey, previous: [MasterKey] = [],
                                 random: any RandomSource) async throws -> DataKeys {
        let (stored, legacySecrets) = try await storage.read { tx in
            (try await Stored.read(in: tx), try await tx.setting(Setting.legacyKeys) != nil ? try await tx.sealedSecrets().map(\.sealed) : nil)
        }
        if let stored {
            return try open(stored, master: master, previous: previous)
        }
        let hashing: [UInt8]
        let sealing: (id: UInt32, key: [UInt8])
        if let legacySecrets {
            // The keys this database was made with derive from its master key: with another key
            // every hash would silently stop matching. Its sealed secrets name the key they were
            // sealed under, so a wrong key (or a rotation of the old kind left half done) shows.
            sealing = master.legacySealingKey
            for sealed in legacySecrets {
                let sealedUnder = try? SecretBox.keyID(of: sealed)
                guard sealedUnder == sealing.id else {
                    throw MasterKeyError("""
                        the master key (id \(Hex.id(master.id))) is not this database's: its secrets are sealed under master key \
                        \(sealedUnder.map(Hex.id) ?? "unknown"). Start mfad with that key (--master-key-file or MFAD_MASTER_KEY), \
                        and finish a rotation begun with an earlier version before upgrading
                        """)
                }
            }
            hashing = master.legacyHashingKey
        } else {
            hashing = random.bytes(32)
            sealing = (UInt32(bigEndianBytes: random.bytes(4)), random.bytes(32))
        }
        let made = try Stored(hashing: hashing, sealing: sealing, under: master)
        // The first to commit wins; a node that lost the race opens the winner's keys.
        let winner = try await storage.write { tx in
            if let existing = try await Stored.read(in: tx) { return existing }
            try await made.write(in: tx)
            return made
        }
        return try open(winner, master: master, previous: previous)
    }

    /// Opens the database's data keys within `tx`, never making them (read-only tools such as
    /// `mfactl outbox --db`). The keys are opened on the calling thread: not for a body the
    /// storage runs on its own threads.
    /// - Parameters:
    ///   - tx: A transaction (a read is enough).
    ///   - master: The configured master key.
    ///   - previous: Older master keys still accepted during a rotation.
    /// - Returns: The keys.
    /// - Throws: ``MasterKeyError`` when the database has none yet, neither key is the
    ///   database's, or the stored keys do not open; a storage error.
    public static func open(in tx: any MFATransaction, master: MasterKey, previous: [MasterKey] = []) async throws -> DataKeys {
        guard let stored = try await Stored.read(in: tx) else { throw noKeysYet }
        return try open(stored, master: master, previous: previous)
    }

    /// Re-seals the data keys from the `old` master key to `new` (`mfad keys rotate-master`).
    /// Nothing else changes: hashes and sealed secrets stay as they are.
    /// - Parameters:
    ///   - storage: The database.
    ///   - old: The master key the data keys are sealed under now.
    ///   - new: The master key to seal them under.
    /// - Returns: false when they already were sealed under `new` (nothing to do).
    /// - Throws: ``MasterKeyError`` when `old` is not the database's, or the keys changed meanwhile;
    ///   a storage error.
    public static func rotate(in storage: any MFAStorage, from old: MasterKey, to new: MasterKey) async throws -> Bool {
        guard let stored = try await storage.read({ tx in try await Stored.read(in: tx) }) else { throw noKeysYet }
        if ConstantTime.equals(new.check, Hex.decode(stored.check) ?? []) { return false }
        let keys = try open(stored, master: old)
        let resealed = try Stored(hashing: keys.hashingKey, sealing: keys.sealingKey, under: new)
        try await storage.write { tx in
            guard try await Stored.read(in: tx) == stored else {
                throw MasterKeyError("the data keys changed while they were re-sealed (another rotation?); run it again")
            }
            try await resealed.write(in: tx)
        }
        return true
    }

    private let hashingKey: [UInt8]
    private let sealingKey: (id: UInt32, key: [UInt8])

    private init(hashing: [UInt8], sealing: (id: UInt32, key: [UInt8])) {
        hashingKey = hashing
        sealingKey = sealing
        digester = SecretDigester(key: hashing)
        vault = SecretVault(current: sealing)
    }

    private static let noKeysYet = MasterKeyError("this database has no data keys yet: start mfad on it once to make them")

    /// Opens stored keys with whichever of `master` and `previous` they are sealed under.
    private static func open(_ stored: Stored, master: MasterKey, previous: [MasterKey] = []) throws -> DataKeys {
        let check = Hex.decode(stored.check) ?? []
        guard let key = ([master] + previous).first(where: { ConstantTime.equals($0.check, check) }) else {
            let sealedUnder = Hex.decode(stored.hashing).flatMap { try? SecretBox.keyID(of: $0) }
            throw MasterKeyError("""
                the master key (id \(Hex.id(master.id))) is not this database's: its keys are sealed under master key \
                \(sealedUnder.map(Hex.id) ?? "unknown"). Start mfad with that key (--master-key-file or MFAD_MASTER_KEY); \
                during a rotation give the other one as --previous-master-key-file
                """)
        }
        let hashing = try openKey(stored.hashing, Setting.hashingKey, context: hashingContext, with: key)
        let sealingBytes = try openKey(stored.sealing, Setting.sealingKey, context: sealingContext, with: key)
        guard hashing.count == 32, sealingBytes.count == 36 else {
            throw MasterKeyError("the database's data keys have the wrong length; restore them from a backup")
        }
        return DataKeys(hashing: hashing,
                        sealing: (UInt32(bigEndianBytes: Array(sealingBytes.prefix(4))), Array(sealingBytes.dropFirst(4))))
    }

    private static func openKey(_ hex: String, _ setting: String, context: String, with master: MasterKey) throws -> [UInt8] {
        guard let sealed = Hex.decode(hex) else {
            throw MasterKeyError("the database's data key \(setting) is unreadable; restore it from a backup")
        }
        do {
            return try SecretBox.open(sealed, keys: [master.id: master.wrappingKey], associatedData: Array(context.utf8))
        } catch {
            throw MasterKeyError("the database's data key \(setting) does not open under master key \(Hex.id(master.id)) (\(error)); restore it from a backup")
        }
    }

    /// The three settings as stored: the master key's check value and the two sealed keys, hex.
    private struct Stored: Sendable, Equatable {
        let check: String
        let hashing: String
        let sealing: String

        /// Seals the keys under `master` (OpenSSL on the calling thread).
        init(hashing: [UInt8], sealing: (id: UInt32, key: [UInt8]), under master: MasterKey) throws {
            check = Hex.encode(master.check)
            self.hashing = Hex.encode(try SecretBox.seal(hashing, key: master.wrappingKey, keyID: master.id,
                                                         associatedData: Array(DataKeys.hashingContext.utf8)))
            self.sealing = Hex.encode(try SecretBox.seal(sealing.id.bigEndianBytes + sealing.key, key: master.wrappingKey,
                                                         keyID: master.id, associatedData: Array(DataKeys.sealingContext.utf8)))
        }

        private init(check: String, hashing: String, sealing: String) {
            self.check = check
            self.hashing = hashing
            self.sealing = sealing
        }

        /// The stored settings, or nil before the first start.
        /// - Throws: ``MasterKeyError`` when only some are there; a storage error.
        static func read(in tx: any MFATransaction) async throws -> Stored? {
            let check = try await tx.setting(Setting.masterKeyCheck)
            let hashing = try await tx.setting(Setting.hashingKey)
            let sealing = try await tx.setting(Setting.sealingKey)
            switch (check, hashing, sealing) {
            case (nil, nil, nil): return nil
            case (let check?, let hashing?, let sealing?): return Stored(check: check, hashing: hashing, sealing: sealing)
            default: throw MasterKeyError("the database's data keys are incomplete; restore them from a backup")
            }
        }

        func write(in tx: any MFATransaction) async throws {
            try await tx.setSetting(Setting.hashingKey, hashing)
            try await tx.setSetting(Setting.sealingKey, sealing)
            try await tx.setSetting(Setting.masterKeyCheck, check)
        }
    }
}

/// Lower-case hex, for values kept in text settings.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        for index in stride(from: 0, to: utf8.count, by: 2) {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    /// A key id as 8 hex digits.
    static func id(_ id: UInt32) -> String {
        encode(id.bigEndianBytes)
    }

    private static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension UInt32 {
    /// The four bytes, most significant first.
    var bigEndianBytes: [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: self >> (24 - 8 * UInt32($0))) }
    }

    /// The value of up to four bytes, most significant first.
    init(bigEndianBytes bytes: [UInt8]) {
        self = bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
