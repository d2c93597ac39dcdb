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

    /// Two errors are equal when they have the same kind (and libargon2 status), whatever the detail.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    /// What failed, for logs.
    public var description: String { "CryptoError: \(detail)" }
}
