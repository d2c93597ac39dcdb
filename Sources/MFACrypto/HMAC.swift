import COpenSSL

/// HMAC (RFC 2104) over SHA-1, SHA-256 or SHA-512, computed with OpenSSL's one-shot `HMAC()`.
public enum HMAC {
    /// Computes the HMAC of `message` under `key`.
    ///
    /// Any key length is accepted, including empty (HMAC pads or hashes the key itself).
    /// OpenSSL's one-shot `HMAC()` can only fail when memory cannot be allocated; that is
    /// treated as fatal (there is no meaningful way to continue authenticating without it).
    ///
    /// - Parameters:
    ///   - algorithm: The digest to use.
    ///   - key: The secret key.
    ///   - message: The bytes to authenticate.
    /// - Returns: The authentication code, ``HashAlgorithm/digestByteCount`` bytes long.
    public static func authenticationCode(
        _ algorithm: HashAlgorithm,
        key: [UInt8],
        message: some Collection<UInt8>
    ) -> [UInt8] {
        if let code = message.withContiguousStorageIfAvailable({ buffer in
            compute(algorithm, key: key, message: UnsafeRawBufferPointer(buffer))
        }) {
            return code
        }
        let copy = Array(message)
        return copy.withUnsafeBytes { compute(algorithm, key: key, message: $0) }
    }

    private static func compute(
        _ algorithm: HashAlgorithm,
        key: [UInt8],
        message: UnsafeRawBufferPointer
    ) -> [UInt8] {
        precondition(key.count <= Int(Int32.max), "HMAC key longer than Int32.max bytes")
        var output = [UInt8](repeating: 0, count: algorithm.digestByteCount)
        var outputLength: UInt32 = 0
        // OpenSSL wants non-NULL pointers even for empty inputs; an empty Swift buffer may have
        // a nil base address, so point at a dummy byte with a length of 0 instead.
        var dummy: UInt8 = 0
        let result: UnsafeMutablePointer<UInt8>? = key.withUnsafeBytes { keyBuffer in
            withUnsafeMutablePointer(to: &dummy) { dummyPointer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    COpenSSL.HMAC(
                        algorithm.evpMD,
                        keyBuffer.baseAddress ?? UnsafeRawPointer(dummyPointer),
                        Int32(key.count),
                        message.baseAddress?.assumingMemoryBound(to: UInt8.self)
                            ?? UnsafePointer(dummyPointer),
                        message.count,
                        outputBuffer.baseAddress,
                        &outputLength
                    )
                }
            }
        }
        guard result != nil, Int(outputLength) == algorithm.digestByteCount else {
            fatalError("OpenSSL HMAC(\(algorithm.rawValue)) failed (out of memory?); cannot continue safely")
        }
        return output
    }
}
