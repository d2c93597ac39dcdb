import Dispatch
import MFACrypto

/// Hashes and verifies passwords away from the caller's thread.
public protocol PasswordHasher: Sendable {
    /// A new Argon2id PHC string for `password`.
    func hash(_ password: String) async throws -> String
    /// Whether `password` matches `encoded`; false for a malformed hash.
    func verify(_ password: String, against encoded: String) async -> Bool
}

/// Argon2id on a bounded number of threads: at most `concurrency` hashes run at once, on
/// Dispatch's global threads (never on the network event loops or Swift's cooperative pool for
/// long); further requests wait their turn, so a burst of logins never stalls other RPCs.
public final class Argon2PasswordHasher: PasswordHasher {
    private let hasher: Argon2idHasher
    private let random: any RandomSource
    private let gate: AsyncGate

    /// - Parameters:
    ///   - parameters: Argon2id costs (stored in every hash, so they can be raised later).
    ///   - random: where salts come from (seeded in test mode for repeatable bytes).
    ///   - concurrency: hashes allowed at once.
    ///   - observeQueueWait: called with how long each hash or verification waited for a free
    ///     thread (zero when one was free), e.g. to record a metric; it must return quickly.
    public init(parameters: Argon2idHasher.Parameters, random: any RandomSource, concurrency: Int,
                observeQueueWait: (@Sendable (Duration) -> Void)? = nil) {
        self.hasher = Argon2idHasher(parameters: parameters)
        self.random = random
        self.gate = AsyncGate(limit: max(1, concurrency), observeWait: observeQueueWait)
    }

    public func hash(_ password: String) async throws -> String {
        let salt = random.bytes(hasher.parameters.saltLength)
        let hasher = self.hasher
        return try await gate.run {
            try await Self.offload { try hasher.hash(password: password, salt: salt) }
        }
    }

    public func verify(_ password: String, against encoded: String) async -> Bool {
        let hasher = self.hasher
        return await gate.run {
            await Self.offload { hasher.verify(password: password, encoded: encoded) }
        }
    }

    private static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}

/// Lets at most `limit` operations run at once; the others wait in arrival order.
actor AsyncGate {
    private let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Told how long each operation waited for its turn.
    private let observeWait: (@Sendable (Duration) -> Void)?

    init(limit: Int, observeWait: (@Sendable (Duration) -> Void)? = nil) {
        self.limit = limit
        self.observeWait = observeWait
    }

    func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async rethrows -> T {
        if let observeWait {
            let arrived = ContinuousClock.now
            await acquire()
            observeWait(ContinuousClock.now - arrived)
        } else {
            await acquire()
        }
        defer { release() }
        return try await operation()
    }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
