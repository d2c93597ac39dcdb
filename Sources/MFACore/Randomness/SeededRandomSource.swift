/// A DETERMINISTIC random source, FOR TEST MODE AND UNIT TESTS ONLY.
///
/// **Never use it in production: every code, token and salt it produces can be recomputed by
/// anyone who knows or guesses the seed.** It exists so that `mfad --test-mode --seed N` gives
/// the same bytes for the same requests.
///
/// The generator is xoshiro256** (Blackman and Vigna) with its state filled from the seed by
/// SplitMix64, as its authors recommend. Each call to ``bytes(_:)`` consumes
/// `ceil(count / 8)` 64-bit outputs and emits them little-endian, discarding the unused tail
/// of the last one, so the stream depends on the sequence of calls and their counts.
public final class SeededRandomSource: RandomSource {
    /// The generator state, behind one lock: concurrent requests in test mode draw from the
    /// same stream, and each draw must update the state atomically.
    private let state: Locked<Xoshiro256StarStar>

    /// Creates a deterministic source.
    /// - Parameter seed: Any value; the same seed always gives the same stream.
    public init(seed: UInt64) {
        state = Locked(Xoshiro256StarStar(seed: seed))
    }

    /// The next `count` bytes of the deterministic stream.
    /// - Parameter count: How many bytes (0 or more).
    /// - Returns: `count` bytes.
    public func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SeededRandomSource.bytes: negative count \(count)")
        return state.withLock { generator in
            var output = [UInt8]()
            output.reserveCapacity(count)
            while output.count < count {
                var word = generator.next()
                for _ in 0..<min(8, count - output.count) {
                    output.append(UInt8(truncatingIfNeeded: word))
                    word >>= 8
                }
            }
            return output
        }
    }
}

/// xoshiro256** 1.0, seeded with SplitMix64.
struct Xoshiro256StarStar: Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var splitMix = SplitMix64(seed: seed)
        s = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    mutating func next() -> UInt64 {
        let result = rotateLeft(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotateLeft(s.3, 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
