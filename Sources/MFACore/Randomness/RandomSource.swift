/// Where every secret and identifier in `MFACore` gets its randomness. Injected so that test
/// mode can be deterministic; production uses ``SystemRandomSource``.
public protocol RandomSource: Sendable {
    /// Returns exactly `count` random bytes.
    /// - Parameter count: How many bytes (0 or more).
    /// - Returns: `count` bytes.
    func bytes(_ count: Int) -> [UInt8]
}

extension RandomSource {
    /// A uniformly random `UInt64` made of 8 bytes from the source, read little-endian.
    /// - Returns: The value.
    public func nextUInt64() -> UInt64 {
        let raw = bytes(8)
        precondition(raw.count == 8, "RandomSource returned \(raw.count) bytes when 8 were asked")
        return raw.reversed().reduce(0) { ($0 << 8) | UInt64($1) }
    }

    /// A uniformly random integer in `0..<upperBound`, without modulo bias.
    ///
    /// Rejection sampling: 64-bit draws below `2^64 mod upperBound` are thrown away and drawn
    /// again, so the remaining range is an exact multiple of `upperBound`. For a power of two
    /// nothing is ever rejected; in the worst case fewer than half the draws are.
    ///
    /// - Parameter upperBound: The exclusive upper bound; must be at least 1.
    /// - Returns: A value in `0..<upperBound`.
    public func randomInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "randomInt(below:) needs an upper bound of at least 1, got \(upperBound)")
        let bound = UInt64(upperBound)
        // 2^64 mod bound, computed without 128-bit arithmetic.
        let threshold = (0 &- bound) % bound
        while true {
            let draw = nextUInt64()
            if draw >= threshold {
                return Int(draw % bound)
            }
        }
    }
}
