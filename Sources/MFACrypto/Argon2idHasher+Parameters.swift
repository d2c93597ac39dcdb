extension Argon2idHasher {
    /// Argon2id cost parameters.
    public struct Parameters: Sendable, Hashable {
        /// Memory in KiB (libargon2's `m_cost`). Default 19456 (19 MiB), OWASP's recommendation.
        public var memoryKiB: Int
        /// Passes over memory (`t_cost`). Default 2.
        public var iterations: Int
        /// Lanes, also used as the thread count (`parallelism`). Default 1.
        public var parallelism: Int
        /// Salt length in bytes for new hashes. Default 16; libargon2 needs at least 8.
        public var saltLength: Int
        /// Hash (tag) length in bytes. Default 32.
        public var hashLength: Int

        /// Creates parameters; the defaults are OWASP's Argon2id recommendation.
        /// - Parameters:
        ///   - memoryKiB: Memory in KiB.
        ///   - iterations: Passes over memory.
        ///   - parallelism: Lanes (and threads).
        ///   - saltLength: Salt length in bytes.
        ///   - hashLength: Hash length in bytes.
        public init(
            memoryKiB: Int = 19456,
            iterations: Int = 2,
            parallelism: Int = 1,
            saltLength: Int = 16,
            hashLength: Int = 32
        ) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
            self.saltLength = saltLength
            self.hashLength = hashLength
        }

        /// Checks the values against libargon2's bounds.
        /// - Throws: ``CryptoError/invalidArgument(_:)`` naming the first value out of range.
        public func validate() throws(CryptoError) {
            guard (1...Int(UInt32.max)).contains(iterations) else {
                throw .invalidArgument("Argon2id iterations must be at least 1, got \(iterations)")
            }
            guard (1...0xFF_FFFF).contains(parallelism) else {
                throw .invalidArgument("Argon2id parallelism must be in 1...16777215, got \(parallelism)")
            }
            guard memoryKiB >= 8 * parallelism, memoryKiB <= Int(UInt32.max) else {
                throw .invalidArgument("Argon2id memory must be at least 8 KiB per lane (\(8 * parallelism)), got \(memoryKiB)")
            }
            guard saltLength >= 8, saltLength <= Int(UInt32.max) else {
                throw .invalidArgument("Argon2id salt length must be at least 8 bytes, got \(saltLength)")
            }
            guard hashLength >= 4, hashLength <= Int(UInt32.max) else {
                throw .invalidArgument("Argon2id hash length must be at least 4 bytes, got \(hashLength)")
            }
        }
    }
}
