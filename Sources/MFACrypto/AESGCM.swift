import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) through OpenSSL's EVP interface:
/// 32-byte keys, 12-byte nonces, 16-byte tags, optional associated data.
///
/// New nonces come from ``SecureRandom``. With random 96-bit nonces NIST allows at most 2^32
/// messages under one key; TOTP secrets are far below that, and keys rotate (``SecretBox``).
/// For secrets at rest use ``SecretBox``, which adds a version and key id around this.
public enum AESGCM {
    /// Key length in bytes (AES-256).
    public static let keyByteCount = 32
    /// Nonce (IV) length in bytes: 96 bits, the length GCM is designed for.
    public static let nonceByteCount = 12
    /// Tag length in bytes: the full 128 bits (never truncated).
    public static let tagByteCount = 16
    /// The longest plaintext or associated data accepted (OpenSSL lengths are `Int32`).
    public static let maximumInputByteCount = Int(Int32.max) - tagByteCount

    /// The result of sealing: the nonce used, the ciphertext (as long as the plaintext) and the tag.
    public struct SealedBox: Sendable, Hashable {
        /// The 12-byte nonce.
        public var nonce: [UInt8]
        /// The ciphertext, as long as the plaintext.
        public var ciphertext: [UInt8]
        /// The 16-byte authentication tag.
        public var tag: [UInt8]

        /// Creates a box from its parts (for opening data read back from storage).
        /// - Parameters:
        ///   - nonce: The 12-byte nonce.
        ///   - ciphertext: The ciphertext.
        ///   - tag: The 16-byte tag.
        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    /// Encrypts and authenticates `plaintext` under `key` with a fresh random nonce.
    ///
    /// - Parameters:
    ///   - plaintext: The bytes to encrypt (may be empty).
    ///   - key: A 32-byte key.
    ///   - associatedData: Bytes authenticated but not encrypted; the same bytes must be given
    ///     to ``open(_:key:associatedData:)``. Default empty.
    /// - Returns: The nonce, ciphertext and tag.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for a key that is not 32 bytes or an input
    ///   over ``maximumInputByteCount``; ``CryptoError/randomUnavailable`` when no nonce can be
    ///   drawn; ``CryptoError/cipherFailure(_:)`` when OpenSSL fails.
    public static func seal(
        _ plaintext: [UInt8],
        key: [UInt8],
        associatedData: [UInt8] = []
    ) throws(CryptoError) -> SealedBox {
        let nonce = try SecureRandom.bytes(count: nonceByteCount)
        return try seal(plaintext, key: key, nonce: nonce, associatedData: associatedData)
    }

    /// Encrypts with a caller-chosen nonce. FOR KNOWN-ANSWER TESTS ONLY, hence internal.
    ///
    /// Reusing a nonce under one key reveals the XOR of the plaintexts and lets an attacker forge
    /// tags; production code always goes through ``seal(_:key:associatedData:)``.
    ///
    /// - Parameters:
    ///   - plaintext: The bytes to encrypt.
    ///   - key: A 32-byte key.
    ///   - nonce: A 12-byte nonce.
    ///   - associatedData: Bytes authenticated but not encrypted.
    /// - Returns: The nonce, ciphertext and tag.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for a wrong key or nonce length or an input
    ///   too long; ``CryptoError/cipherFailure(_:)`` when OpenSSL fails.
    static func seal(
        _ plaintext: [UInt8],
        key: [UInt8],
        nonce: [UInt8],
        associatedData: [UInt8]
    ) throws(CryptoError) -> SealedBox {
        try checkLengths(key: key, nonce: nonce, text: plaintext, associatedData: associatedData)
        guard let context = EVP_CIPHER_CTX_new() else { throw .cipherFailure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }

        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1 else {
            throw .cipherFailure("EVP_EncryptInit_ex(aes-256-gcm)")
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceByteCount), nil) == 1 else {
            throw .cipherFailure("EVP_CTRL_GCM_SET_IVLEN")
        }
        let keyed = key.withUnsafeBufferPointer { keyBuffer in
            nonce.withUnsafeBufferPointer { nonceBuffer in
                EVP_EncryptInit_ex(context, nil, nil, keyBuffer.baseAddress, nonceBuffer.baseAddress)
            }
        }
        guard keyed == 1 else { throw .cipherFailure("EVP_EncryptInit_ex(key, nonce)") }
        try addAssociatedData(associatedData, to: context, decrypting: false)

        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        if !plaintext.isEmpty {
            var written: Int32 = 0
            let status = plaintext.withUnsafeBufferPointer { input in
                ciphertext.withUnsafeMutableBufferPointer { output in
                    EVP_EncryptUpdate(context, output.baseAddress, &written, input.baseAddress, Int32(input.count))
                }
            }
            guard status == 1, Int(written) == plaintext.count else { throw .cipherFailure("EVP_EncryptUpdate") }
        }
        // GCM is a stream mode: Final writes nothing, but it needs somewhere to write.
        var finalBlock = [UInt8](repeating: 0, count: 16)
        var finalLength: Int32 = 0
        let finished = finalBlock.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress, &finalLength)
        }
        guard finished == 1, finalLength == 0 else { throw .cipherFailure("EVP_EncryptFinal_ex") }

        var tag = [UInt8](repeating: 0, count: tagByteCount)
        let tagged = tag.withUnsafeMutableBytes { buffer in
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), buffer.baseAddress)
        }
        guard tagged == 1 else { throw .cipherFailure("EVP_CTRL_GCM_GET_TAG") }
        return SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Checks the tag and decrypts.
    ///
    /// Nothing is returned unless the tag matches: a wrong key and altered data give the same
    /// ``CryptoError/authenticationFailed`` (GCM cannot tell them apart).
    ///
    /// - Parameters:
    ///   - box: The nonce, ciphertext and tag from ``seal(_:key:associatedData:)``.
    ///   - key: The 32-byte key used to seal.
    ///   - associatedData: The associated data given when sealing.
    /// - Returns: The plaintext.
    /// - Throws: ``CryptoError/authenticationFailed`` when the tag does not match;
    ///   ``CryptoError/invalidArgument(_:)`` for a key, nonce or tag of the wrong length or an
    ///   input too long; ``CryptoError/cipherFailure(_:)`` when OpenSSL fails.
    public static func open(
        _ box: SealedBox,
        key: [UInt8],
        associatedData: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        try checkLengths(key: key, nonce: box.nonce, text: box.ciphertext, associatedData: associatedData)
        guard box.tag.count == tagByteCount else {
            throw .invalidArgument("AES-GCM tag must be \(tagByteCount) bytes, got \(box.tag.count)")
        }
        guard let context = EVP_CIPHER_CTX_new() else { throw .cipherFailure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }

        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1 else {
            throw .cipherFailure("EVP_DecryptInit_ex(aes-256-gcm)")
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceByteCount), nil) == 1 else {
            throw .cipherFailure("EVP_CTRL_GCM_SET_IVLEN")
        }
        let keyed = key.withUnsafeBufferPointer { keyBuffer in
            box.nonce.withUnsafeBufferPointer { nonceBuffer in
                EVP_DecryptInit_ex(context, nil, nil, keyBuffer.baseAddress, nonceBuffer.baseAddress)
            }
        }
        guard keyed == 1 else { throw .cipherFailure("EVP_DecryptInit_ex(key, nonce)") }
        try addAssociatedData(associatedData, to: context, decrypting: true)

        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count)
        if !box.ciphertext.isEmpty {
            var written: Int32 = 0
            let status = box.ciphertext.withUnsafeBufferPointer { input in
                plaintext.withUnsafeMutableBufferPointer { output in
                    EVP_DecryptUpdate(context, output.baseAddress, &written, input.baseAddress, Int32(input.count))
                }
            }
            guard status == 1, Int(written) == box.ciphertext.count else { throw .cipherFailure("EVP_DecryptUpdate") }
        }
        // The tag is set before Final, which compares it (in constant time) and fails on mismatch.
        var tag = box.tag
        let tagSet = tag.withUnsafeMutableBytes { buffer in
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), buffer.baseAddress)
        }
        guard tagSet == 1 else { throw .cipherFailure("EVP_CTRL_GCM_SET_TAG") }
        var finalBlock = [UInt8](repeating: 0, count: 16)
        var finalLength: Int32 = 0
        let verified = finalBlock.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress, &finalLength)
        }
        guard verified > 0 else {
            // Do not let unauthenticated plaintext linger in memory longer than needed.
            for index in plaintext.indices { plaintext[index] = 0 }
            throw .authenticationFailed
        }
        return plaintext
    }

    private static func checkLengths(
        key: [UInt8],
        nonce: [UInt8],
        text: [UInt8],
        associatedData: [UInt8]
    ) throws(CryptoError) {
        guard key.count == keyByteCount else {
            throw .invalidArgument("AES-256-GCM key must be \(keyByteCount) bytes, got \(key.count)")
        }
        guard nonce.count == nonceByteCount else {
            throw .invalidArgument("AES-GCM nonce must be \(nonceByteCount) bytes, got \(nonce.count)")
        }
        guard text.count <= maximumInputByteCount, associatedData.count <= maximumInputByteCount else {
            throw .invalidArgument("AES-GCM input longer than \(maximumInputByteCount) bytes")
        }
    }

    /// Feeds the associated data (an update with no output buffer); nothing to do when empty.
    private static func addAssociatedData(
        _ associatedData: [UInt8],
        to context: OpaquePointer,
        decrypting: Bool
    ) throws(CryptoError) {
        guard !associatedData.isEmpty else { return }
        var written: Int32 = 0
        let status = associatedData.withUnsafeBufferPointer { buffer in
            decrypting
                ? EVP_DecryptUpdate(context, nil, &written, buffer.baseAddress, Int32(buffer.count))
                : EVP_EncryptUpdate(context, nil, &written, buffer.baseAddress, Int32(buffer.count))
        }
        guard status == 1 else { throw .cipherFailure("associated data update") }
    }
}
