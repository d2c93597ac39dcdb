import CArgon2

/// Password hashing with Argon2id (RFC 9106) through the reference library, producing and
/// checking PHC strings such as `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
///
/// Passwords are hashed as their UTF-8 bytes, with no Unicode normalisation: the same text typed
/// with a different composition (precomposed "é" versus "e" + combining accent) is a different
/// password.
public struct Argon2idHasher: Sendable, Hashable {
    /// The cost parameters used for new hashes, and the floor below which ``needsRehash(encoded:)``
    /// asks for a new hash.
    public var parameters: Parameters

    /// Hard limits on the cost named inside a stored hash that ``verify(password:encoded:)`` is
    /// willing to run. A corrupted or hostile stored string naming, say, 64 GiB of memory must
    /// not take the process down: above these limits the hash is treated as malformed.
    public static let verificationLimits = Parameters(
        memoryKiB: 4 * 1024 * 1024, // 4 GiB
        iterations: 256,
        parallelism: 64,
        saltLength: 1024,
        hashLength: 1024
    )

    /// The longest encoded string ``verify(password:encoded:)`` accepts (a real one is about 100).
    public static let maximumEncodedLength = 1024

    /// Creates a hasher.
    /// - Parameter parameters: The cost parameters; defaults to OWASP's recommendation
    ///   (19 MiB, 2 iterations, 1 lane, 16-byte salt, 32-byte hash).
    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Hashes `password` with a fresh 16-byte (``Parameters/saltLength``) salt from ``SecureRandom``.
    /// - Parameter password: The password, any Unicode; its UTF-8 bytes are hashed.
    /// - Returns: The PHC encoded string (to be stored as is).
    /// - Throws: ``CryptoError/randomUnavailable`` when no salt can be drawn, or the errors of
    ///   ``hash(password:salt:)``.
    public func hash(password: String) throws(CryptoError) -> String {
        let salt = try SecureRandom.bytes(count: parameters.saltLength)
        return try hash(password: password, salt: salt)
    }

    /// Hashes `password` with the given salt.
    /// - Parameters:
    ///   - password: The password, any Unicode; its UTF-8 bytes are hashed.
    ///   - salt: At least 8 bytes; use ``hash(password:)`` for a random one.
    /// - Returns: The PHC encoded string, e.g. `$argon2id$v=19$m=19456,t=2,p=1$…$…`.
    /// - Throws: ``CryptoError/invalidArgument(_:)`` for a parameter out of range (salt shorter
    ///   than 8 bytes, zero cost); ``CryptoError/argon2Failure(status:message:)`` when libargon2
    ///   refuses (for example when memory cannot be allocated).
    public func hash(password: String, salt: [UInt8]) throws(CryptoError) -> String {
        try parameters.validate()
        guard salt.count >= Int(c_argon2_min_salt_length()), salt.count <= Int(UInt32.max) else {
            throw .invalidArgument("Argon2id salt must be at least \(c_argon2_min_salt_length()) bytes, got \(salt.count)")
        }
        let passwordBytes = Array(password.utf8)
        guard passwordBytes.count <= Int(UInt32.max) else {
            throw .invalidArgument("Argon2id password longer than 2^32-1 bytes")
        }
        let t = UInt32(parameters.iterations)
        let m = UInt32(parameters.memoryKiB)
        let p = UInt32(parameters.parallelism)
        let hashLength = parameters.hashLength
        let encodedLength = argon2_encodedlen(t, m, p, UInt32(salt.count), UInt32(hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: encodedLength)
        let status = passwordBytes.withUnsafeBytes { pwd in
            salt.withUnsafeBytes { saltBuffer in
                encoded.withUnsafeMutableBufferPointer { out in
                    argon2id_hash_encoded(
                        t, m, p,
                        pwd.baseAddress, pwd.count,
                        saltBuffer.baseAddress, saltBuffer.count,
                        hashLength,
                        out.baseAddress, out.count
                    )
                }
            }
        }
        guard status == ARGON2_OK.rawValue else {
            throw Self.failure(status)
        }
        // The buffer is NUL-terminated by libargon2; decode up to the terminator.
        let bytes = encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Checks `password` against a stored PHC string.
    ///
    /// Never throws and never traps: a malformed string, a different Argon2 variant, a cost above
    /// ``verificationLimits``, or any libargon2 error answers `false`. libargon2 compares the
    /// hashes in constant time.
    ///
    /// - Parameters:
    ///   - password: The password typed by the user; its UTF-8 bytes are checked.
    ///   - encoded: The stored PHC string from ``hash(password:salt:)``.
    /// - Returns: `true` only when the password matches.
    public func verify(password: String, encoded: String) -> Bool {
        guard encoded.utf8.count <= Self.maximumEncodedLength,
              let stored = Argon2EncodedHash(parsing: encoded),
              stored.isWithin(Self.verificationLimits)
        else {
            return false
        }
        let passwordBytes = Array(password.utf8)
        guard passwordBytes.count <= Int(UInt32.max) else { return false }
        let status = encoded.withCString { encodedPointer in
            passwordBytes.withUnsafeBytes { pwd in
                argon2id_verify(encodedPointer, pwd.baseAddress, pwd.count)
            }
        }
        return status == ARGON2_OK.rawValue
    }

    /// Tells whether a stored hash should be replaced (after a successful login, with the
    /// password just verified) because it is weaker than the configured ``parameters``.
    ///
    /// - Parameter encoded: The stored PHC string.
    /// - Returns: `true` when the string is malformed, is not Argon2id version 19, or names a
    ///   memory, iteration, parallelism, salt length or hash length lower than configured.
    ///   Stronger stored parameters are kept (`false`).
    public func needsRehash(encoded: String) -> Bool {
        guard let stored = Argon2EncodedHash(parsing: encoded) else { return true }
        return stored.version != Int(c_argon2_version_number())
            || stored.memoryKiB < parameters.memoryKiB
            || stored.iterations < parameters.iterations
            || stored.parallelism < parameters.parallelism
            || stored.saltLength < parameters.saltLength
            || stored.hashLength < parameters.hashLength
    }

    static func failure(_ status: Int32) -> CryptoError {
        let message = argon2_error_message(status).map { String(cString: $0) } ?? "unknown error"
        return .argon2Failure(status: status, message: message)
    }
}
