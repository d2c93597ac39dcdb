import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's CSPRNG (`RAND_bytes`).
public enum SecureRandom {
    /// Returns `count` bytes from OpenSSL's CSPRNG.
    ///
    /// - Parameter count: How many bytes to return; 0 returns an empty array.
    /// - Returns: `count` random bytes.
    /// - Throws: ``CryptoError/randomUnavailable`` when `RAND_bytes` does not return 1;
    ///   ``CryptoError/invalidArgument(_:)`` when `count` is negative or above `Int32.max`.
    public static func bytes(count: Int) throws(CryptoError) -> [UInt8] {
        guard count >= 0, count <= Int(Int32.max) else {
            throw .invalidArgument("SecureRandom.bytes(count:): count \(count) is outside 0...\(Int32.max)")
        }
        if count == 0 { return [] }
        var output = [UInt8](repeating: 0, count: count)
        let status = output.withUnsafeMutableBufferPointer { buffer in
            RAND_bytes(buffer.baseAddress, Int32(count))
        }
        // RAND_bytes returns 1 on success, 0 or -1 on failure: anything but 1 is a failure.
        guard status == 1 else {
            throw .randomUnavailable
        }
        return output
    }
}
