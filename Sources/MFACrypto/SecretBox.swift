/// The at-rest envelope for secrets such as TOTP seeds (SPEC 6): AES-256-GCM under a key named
/// by a 32-bit key id, so that keys can be rotated while old rows stay readable.
///
/// Layout (all one byte string, stored as is):
///
/// ```
/// version (1 byte) = 1 | key id (UInt32, big-endian) | nonce (12) | ciphertext | tag (16)
/// ```
///
/// The 5-byte header (version and key id) is authenticated: GCM's associated data is the header
/// followed by the caller's associated data. Changing the version or key id of a sealed value
/// therefore fails to open even if the other key id happens to hold the same key.
///
/// Pass the row's identity (for example the account id) as associated data, so that a sealed
/// secret copied onto another account's row does not open there.
public enum SecretBox {
    /// The format version written by ``seal(_:key:keyID:associatedData:)``.
    public static let version: UInt8 = 1
    /// Bytes of version and key id (5), authenticated as associated data.
    static let versionAndKeyIDByteCount = 1 + 4
    /// Bytes before the ciphertext: version, key id and nonce (17).
    public static let headerByteCount = versionAndKeyIDByteCount + AESGCM.nonceByteCount
    /// Bytes added to the plaintext: header and tag (33).
    public static let overheadByteCount = headerByteCount + AESGCM.tagByteCount

    /// Seals `plaintext` under `key`, recording `keyID`, with a fresh random nonce.
    ///
    /// - Parameters:
    ///   - plaintext: The secret (may be empty).
    ///   - key: The 32-byte key currently used for new data.
    ///   - keyID: The id under which `key` is configured; ``open(_:keys:associatedData:)``
    ///     looks the key up by it. Never reuse an id for a different key.
    ///   - associatedData: Context bound to the value (e.g. the account id), not stored;
    ///     the same bytes are needed to open it. Default empty.
    /// - Returns: `plaintext.count + 33` bytes in the layout above.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for a key that is not 32 bytes or an input
    ///   too long; ``CryptoError/randomUnavailable`` when no nonce can be drawn;
    ///   ``CryptoError/cipherFailure(_:)`` when OpenSSL fails.
    public static func seal(
        _ plaintext: [UInt8],
        key: [UInt8],
        keyID: UInt32,
        associatedData: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        let nonce = try SecureRandom.bytes(count: AESGCM.nonceByteCount)
        return try seal(plaintext, key: key, keyID: keyID, nonce: nonce, associatedData: associatedData)
    }

    /// Seals with a caller-chosen nonce. FOR KNOWN-ANSWER TESTS ONLY, hence internal.
    static func seal(
        _ plaintext: [UInt8],
        key: [UInt8],
        keyID: UInt32,
        nonce: [UInt8],
        associatedData: [UInt8]
    ) throws(CryptoError) -> [UInt8] {
        let header = Self.header(keyID: keyID)
        guard associatedData.count <= AESGCM.maximumInputByteCount - versionAndKeyIDByteCount else {
            throw .invalidArgument("SecretBox associated data longer than \(AESGCM.maximumInputByteCount - header.count) bytes")
        }
        let box = try AESGCM.seal(plaintext, key: key, nonce: nonce, associatedData: header + associatedData)
        var sealed = header
        sealed.reserveCapacity(overheadByteCount + plaintext.count)
        sealed += box.nonce
        sealed += box.ciphertext
        sealed += box.tag
        return sealed
    }

    /// Opens a value sealed by ``seal(_:key:keyID:associatedData:)``, with the key its key id
    /// names.
    ///
    /// - Parameters:
    ///   - sealed: The stored bytes.
    ///   - keys: Every configured key by id (the current one and the older ones still in use).
    ///   - associatedData: The associated data given when sealing.
    /// - Returns: The plaintext.
    /// - Throws: ``CryptoError/malformedSealedData(_:)`` when `sealed` is shorter than 33 bytes;
    ///   ``CryptoError/unsupportedSealedVersion(_:)`` for a version byte other than 1;
    ///   ``CryptoError/unknownKeyID(_:)`` when `keys` has no key for the recorded id;
    ///   ``CryptoError/authenticationFailed`` when the key is wrong or any byte (or the
    ///   associated data) was altered; ``CryptoError/invalidArgument(_:)`` when the key found is
    ///   not 32 bytes.
    public static func open(
        _ sealed: [UInt8],
        keys: [UInt32: [UInt8]],
        associatedData: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        let keyID = try keyID(of: sealed)
        guard let key = keys[keyID] else { throw .unknownKeyID(keyID) }
        let nonceStart = versionAndKeyIDByteCount
        guard associatedData.count <= AESGCM.maximumInputByteCount - nonceStart else {
            throw .invalidArgument("SecretBox associated data longer than \(AESGCM.maximumInputByteCount - nonceStart) bytes")
        }
        let ciphertextStart = headerByteCount
        let tagStart = sealed.count - AESGCM.tagByteCount
        let box = AESGCM.SealedBox(
            nonce: Array(sealed[nonceStart..<ciphertextStart]),
            ciphertext: Array(sealed[ciphertextStart..<tagStart]),
            tag: Array(sealed[tagStart...])
        )
        return try AESGCM.open(box, key: key, associatedData: Array(sealed[0..<nonceStart]) + associatedData)
    }

    /// The key id recorded in sealed data, without opening it (to find values still sealed under
    /// an old key during rotation). The id is not authenticated until the value is opened.
    ///
    /// - Parameter sealed: The stored bytes.
    /// - Returns: The key id.
    /// - Throws: ``CryptoError/malformedSealedData(_:)`` when `sealed` is shorter than 33 bytes;
    ///   ``CryptoError/unsupportedSealedVersion(_:)`` for a version byte other than 1.
    public static func keyID(of sealed: [UInt8]) throws(CryptoError) -> UInt32 {
        guard sealed.count >= overheadByteCount else {
            throw .malformedSealedData("\(sealed.count) bytes, at least \(overheadByteCount) needed")
        }
        guard sealed[0] == version else { throw .unsupportedSealedVersion(sealed[0]) }
        return sealed[1...4].reduce(0) { ($0 << 8) | UInt32($1) }
    }

    private static func header(keyID: UInt32) -> [UInt8] {
        [version] + (0..<4).map { UInt8(truncatingIfNeeded: keyID >> (24 - 8 * UInt32($0))) }
    }
}
