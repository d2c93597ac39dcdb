import COpenSSL

/// A message digest usable with ``HMAC``.
public enum HashAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// SHA-1 (20-byte digest). Still sound inside HMAC; the RFC 6238 default for TOTP.
    case sha1 = "SHA1"
    /// SHA-256 (32-byte digest).
    case sha256 = "SHA256"
    /// SHA-512 (64-byte digest).
    case sha512 = "SHA512"

    /// The digest (and HMAC output) length in bytes.
    public var digestByteCount: Int {
        switch self {
        case .sha1: return 20
        case .sha256: return 32
        case .sha512: return 64
        }
    }

    /// OpenSSL's static `EVP_MD` for this algorithm (never freed: it is a built-in constant).
    var evpMD: OpaquePointer? {
        switch self {
        case .sha1: return EVP_sha1()
        case .sha256: return EVP_sha256()
        case .sha512: return EVP_sha512()
        }
    }
}
