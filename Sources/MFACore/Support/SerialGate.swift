/// Runs async operations one at a time, in arrival order: the next starts when the one before
/// returned. Used where an operation reads in-memory state, commits, and only then changes it
/// (``MFAService/advanceClock(seconds:)``), so that overlapping calls add up instead of racing.
final class SerialGate: Sendable {
    private struct State: Sendable {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())

    /// Runs `operation` once every earlier one has finished.
    func run<T>(_ operation: () async throws(MFAError) -> T) async throws(MFAError) -> T {
        await enter()
        defer { leave() }
        return try await operation()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = state.withLock { state in
                if state.busy {
                    state.waiting.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if proceed { continuation.resume() }
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
