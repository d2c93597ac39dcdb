import MFACrypto

/// The master key (32 bytes): the key-encryption key at the top of the key hierarchy. It seals
/// the data keys (``DataKeys``) kept in the database and nothing else, so rotating it re-seals
/// two small values and leaves every keyed hash and sealed secret as it was.
///
/// Everything here is derived from the key bytes with HMAC-SHA256 under fixed labels: an id
/// (recorded in what it seals, printed in errors), a key-check value (stored, so a node started
/// with another key refuses to start), and the wrapping key.
public struct MasterKey: Sendable {
    /// The key's length in bytes.
    public static let byteCount = 32

    let bytes: [UInt8]

    /// - Parameter bytes: exactly ``byteCount`` bytes.
    /// - Throws: ``MasterKeyError`` for another length.
    public init(bytes: [UInt8]) throws(MasterKeyError) {
        guard bytes.count == Self.byteCount else {
            throw MasterKeyError("the master key must be \(Self.byteCount) bytes, got \(bytes.count)")
        }
        self.init(validated: bytes)
    }

    private init(validated bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads a key written as 64 hex digits (surrounding whitespace ignored).
    /// - Parameters:
    ///   - text: The hex text, e.g. a key file's content.
    ///   - source: Where it came from, for the error (never the key).
    /// - Throws: ``MasterKeyError`` naming `source` when it is not 64 hex digits.
    public init(hex text: String, source: String) throws(MasterKeyError) {
        let hex = String(decoding: Array(text.utf8).filter { !Self.isWhitespace($0) }, as: UTF8.self)
        guard hex.utf8.count == Self.byteCount * 2 else {
            throw MasterKeyError("the master key in \(source) must be \(Self.byteCount * 2) hex digits")
        }
        guard let bytes = Hex.decode(hex) else {
            throw MasterKeyError("the master key in \(source) must be hex digits")
        }
        try self.init(bytes: bytes)
    }

    /// Test mode's key, derived from the seed: repeatable, and never a secret.
    /// - Parameter seed: The test-mode seed.
    public static func testMode(seed: UInt64) -> MasterKey {
        let seedBytes = (0..<8).map { UInt8(truncatingIfNeeded: seed >> (56 - 8 * UInt64($0))) }
        // An HMAC-SHA256 output: 32 bytes.
        return MasterKey(validated: HMACSHA256.authenticationCode(key: Array("mfad test mode".utf8), message: seedBytes))
    }

    /// The key's id: recorded in every value it seals, and safe to print.
    public var id: UInt32 {
        derive("mfad/key-id/v1").prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// The key-check value stored beside the data keys.
    var check: [UInt8] { derive("mfad/key-check/v1") }

    /// The AES-256-GCM key that seals the data keys.
    var wrappingKey: [UInt8] { derive("mfad/key-wrapping/v1") }

    /// The hashing key databases made before the key hierarchy used (derived from this key);
    /// adopted as their hashing data key so that their keyed hashes keep matching.
    var legacyHashingKey: [UInt8] { derive("mfad/keyed-hash/v1") }

    /// The sealing key (and id) databases made before the key hierarchy used for TOTP secrets.
    var legacySealingKey: (id: UInt32, key: [UInt8]) { (id, derive("mfad/secret-box/v1")) }

    private func derive(_ label: String) -> [UInt8] {
        HMACSHA256.authenticationCode(key: bytes, message: Array(label.utf8))
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// A master key that cannot be used: malformed, or not the one the database's keys are sealed
/// under. The text says what is wrong and what to do; it never holds key material.
public struct MasterKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    /// - Parameter description: what is wrong and what to do.
    public init(_ description: String) {
        self.description = description
    }
}
