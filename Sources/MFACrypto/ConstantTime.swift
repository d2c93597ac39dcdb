import COpenSSL

/// Comparisons whose running time does not depend on the contents compared.
public enum ConstantTime {
    /// Compares two byte arrays in constant time (OpenSSL's `CRYPTO_memcmp`).
    ///
    /// Arrays of different lengths are unequal; that answer depends only on the lengths, which
    /// are not secret (callers compare fixed-length digests), never on the contents.
    ///
    /// - Parameters:
    ///   - lhs: The first byte array.
    ///   - rhs: The second byte array.
    /// - Returns: `true` when both have the same length and the same bytes.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
