import MFACore

/// The `MFAService` tests build on a store of their own: cheap password hashing (the parameters
/// are stored in each hash anyway), fixed data keys, a manual clock and seeded randomness.
public enum TestService {
    /// The key every test service digests secrets with.
    public static let digester = SecretDigester(key: Array(repeating: 7, count: 32))

    /// Makes a service on `storage`.
    /// - Parameters:
    ///   - storage: The store, opened by the caller (who closes it).
    ///   - clock: The service's clock; with `testMode` also its test clock (AdvanceClock).
    ///   - random: The service's randomness.
    ///   - testMode: Whether the test-mode RPCs may move `clock`.
    ///   - hashingThreads: How many Argon2id hashes run at once.
    ///   - configure: Changes to the default configuration (hashing is made cheap first).
    public static func make(storage: any MFAStorage, clock: ManualClock, random: any RandomSource, testMode: Bool = true,
                            hashingThreads: Int = 2, configure: (inout MFAConfiguration) -> Void = { _ in }) async throws -> MFAService {
        var configuration = MFAConfiguration()
        configuration.passwordHashing.memoryKiB = 1024
        configuration.passwordHashing.iterations = 1
        configure(&configuration)
        return try await MFAService(
            storage: storage, clock: clock, random: random, digester: digester,
            vault: SecretVault(current: (id: 1, key: Array(repeating: 9, count: 32))),
            passwords: Argon2PasswordHasher(parameters: configuration.passwordHashing, random: random, concurrency: hashingThreads),
            configuration: configuration, testClock: testMode ? clock : nil)
    }
}
