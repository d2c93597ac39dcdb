@testable import MFACore

/// A random source that returns scripted bytes, in order, and counts what was consumed.
final class ScriptedRandomSource: RandomSource {
    private let state: Locked<(bytes: [UInt8], consumed: Int)>

    init(_ bytes: [UInt8]) {
        state = Locked((bytes, 0))
    }

    func bytes(_ count: Int) -> [UInt8] {
        state.withLock { state in
            precondition(state.consumed + count <= state.bytes.count, "script exhausted")
            defer { state.consumed += count }
            return Array(state.bytes[state.consumed..<state.consumed + count])
        }
    }

    var consumed: Int { state.withLock { $0.consumed } }
}

/// Little-endian bytes of a UInt64, as `RandomSource.nextUInt64()` reads them.
func littleEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

let t0 = Timestamp.testModeStart
