import MFACrypto

/// Seals secrets at rest (TOTP secrets) with AES-256-GCM. Every sealed value records the id of
/// the key that sealed it, so the vault can open values sealed under older keys while sealing
/// new ones under the current key; `mfad keys rotate-master` re-seals everything.
public struct SecretVault: Sendable {
    /// The key new secrets are sealed with.
    public let currentKeyID: UInt32
    private let keys: [UInt32: [UInt8]]

    /// - Parameters:
    ///   - current: the id and 32-byte key to seal with.
    ///   - previous: older keys still accepted for opening.
    public init(current: (id: UInt32, key: [UInt8]), previous: [(id: UInt32, key: [UInt8])] = []) {
        var keys: [UInt32: [UInt8]] = [:]
        for old in previous { keys[old.id] = old.key }
        keys[current.id] = current.key
        self.currentKeyID = current.id
        self.keys = keys
    }

    /// Seals `secret`, bound to `context` (authenticated, not encrypted).
    /// - Throws: `CryptoError` when OpenSSL fails.
    public func seal(_ secret: [UInt8], context: String) throws -> [UInt8] {
        guard let key = keys[currentKeyID] else { throw CryptoError.unknownKeyID(currentKeyID) }
        return try SecretBox.seal(secret, key: key, keyID: currentKeyID, associatedData: Array(context.utf8))
    }

    /// Opens a sealed secret.
    /// - Throws: `CryptoError` for an unknown key id, a wrong context, or tampered bytes.
    public func open(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        try SecretBox.open(sealed, keys: keys, associatedData: Array(context.utf8))
    }

    /// Whether `sealed` was sealed under a key other than the current one.
    public func needsResealing(_ sealed: [UInt8]) -> Bool {
        (try? SecretBox.keyID(of: sealed)) != currentKeyID
    }
}
