import MFACrypto

/// The production random source: OpenSSL's CSPRNG through ``MFACrypto/SecureRandom``.
public struct SystemRandomSource: RandomSource {
    /// Creates the system random source.
    public init() {}

    /// Returns `count` bytes from OpenSSL's CSPRNG.
    ///
    /// If OpenSSL cannot produce random bytes the process stops with `fatalError`: carrying on
    /// would mean issuing guessable codes, tokens and salts, which is worse than going down.
    /// (On Linux this does not happen once the kernel's entropy pool is initialised.)
    ///
    /// - Parameter count: How many bytes (0 or more).
    /// - Returns: `count` random bytes.
    public func bytes(_ count: Int) -> [UInt8] {
        do {
            return try SecureRandom.bytes(count: count)
        } catch {
            fatalError("No secure randomness (\(error)); refusing to continue and issue guessable secrets.")
        }
    }
}
