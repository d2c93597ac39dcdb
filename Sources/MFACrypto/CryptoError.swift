/// An error from a cryptographic primitive of `MFACrypto`.
///
/// A struct over a private code so that cases can be added without breaking callers. Compare
/// with the static members (`error.code == .randomUnavailable` is not available; use `==`
/// on whole errors built with the static members, or read ``description`` for logs).
/// The description never contains a secret (password, key, salt or hash).
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case randomUnavailable
        case invalidArgument
        case argon2Failure(Int32)
        case authenticationFailed
        case malformedSealedData
        case unsupportedSealedVersion(UInt8)
        case unknownKeyID(UInt32)
        case cipherFailure
    }

    private let code: Code
    private let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// OpenSSL's `RAND_bytes` did not return 1: the system has no usable randomness.
    ///
    /// Nothing secret may be generated when this happens; callers must fail the request.
    public static let randomUnavailable = CryptoError(
        .randomUnavailable,
        "RAND_bytes failed: no secure randomness available; refuse to generate secrets"
    )

    /// An argument was outside what the primitive accepts (the detail names which).
    /// - Parameter detail: What was wrong, without any secret value.
    /// - Returns: The error.
    public static func invalidArgument(_ detail: String) -> CryptoError {
        CryptoError(.invalidArgument, detail)
    }

    /// libargon2 returned an error code.
    /// - Parameters:
    ///   - status: The `Argon2_ErrorCodes` value returned by libargon2.
    ///   - message: libargon2's text for that code.
    /// - Returns: The error.
    public static func argon2Failure(status: Int32, message: String) -> CryptoError {
        CryptoError(.argon2Failure(status), "argon2 failed (\(status)): \(message)")
    }

    /// AES-GCM refused to open sealed data: the tag does not match.
    ///
    /// GCM cannot tell the causes apart: the key is wrong (for example a rotated key stored
    /// under a reused key id), or the ciphertext, nonce, tag, header or associated data was
    /// changed. Either way nothing is returned; treat the stored secret as unusable and alert.
    public static let authenticationFailed = CryptoError(
        .authenticationFailed,
        "AES-GCM authentication failed: wrong key, or the sealed data or its associated data was altered"
    )

    /// Sealed data that cannot be a ``SecretBox`` at all (too short).
    /// - Parameter detail: What was wrong (lengths only, never content).
    /// - Returns: The error.
    public static func malformedSealedData(_ detail: String) -> CryptoError {
        CryptoError(.malformedSealedData, "malformed sealed data: \(detail)")
    }

    /// Sealed data whose format version byte this build does not know.
    /// - Parameter version: The version byte found.
    /// - Returns: The error.
    public static func unsupportedSealedVersion(_ version: UInt8) -> CryptoError {
        CryptoError(
            .unsupportedSealedVersion(version),
            "sealed data has format version \(version); this build reads version \(SecretBox.version) only"
        )
    }

    /// Sealed data names a key id that is not among the keys offered.
    /// - Parameter keyID: The key id recorded in the sealed data.
    /// - Returns: The error.
    public static func unknownKeyID(_ keyID: UInt32) -> CryptoError {
        CryptoError(
            .unknownKeyID(keyID),
            "sealed data was encrypted under key id \(keyID), which is not configured; add that key (keys are only ever added on rotation, not removed while data uses them)"
        )
    }

    /// An OpenSSL cipher call failed where it should not (out of memory, broken library).
    /// - Parameter detail: The failing call.
    /// - Returns: The error.
    public static func cipherFailure(_ detail: String) -> CryptoError {
        CryptoError(.cipherFailure, "OpenSSL cipher failure: \(detail)")
    }

    /// Two errors are equal when they have the same kind (and libargon2 status, version or key
    /// id), whatever the detail.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    /// What failed, for logs.
    public var description: String { "CryptoError: \(detail)" }
}
