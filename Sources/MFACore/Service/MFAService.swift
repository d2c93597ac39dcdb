import MFACrypto

/// The MFA service: every RPC's rules, run against an `MFAStorage` with an injected clock and
/// random source. It does no I/O of its own; every decision that must not race (attempt counters,
/// locks, single use of codes) is made inside one storage write transaction.
public final class MFAService: Sendable {
    let storage: any MFAStorage
    let clock: any Clock
    let random: any RandomSource
    let digester: SecretDigester
    /// Seals TOTP secrets at rest.
    let vault: SecretVault
    let passwords: any PasswordHasher
    let configuration: MFAConfiguration
    let composer: MessageComposer
    /// Set in test mode only: the clock that `AdvanceClock` moves.
    let testClock: ManualClock?
    /// `AdvanceClock` calls, one at a time.
    let clockGate = SerialGate()
    /// The channels with delivery configured: their messages are `queued`; the others are kept
    /// `held` for a developer to read (the embedded default).
    let deliveredChannels: Set<ContactChannel>
    /// Called when a message is queued for delivery, to wake the delivery worker.
    let onQueued: (@Sendable () -> Void)?
    /// A hash verified when the email is unknown, so that case costs what a wrong password costs.
    let dummyPasswordHash: String

    /// - Parameters:
    ///   - storage: where state lives.
    ///   - clock: the time source (a `ManualClock` in test mode).
    ///   - random: the random source (seeded in test mode).
    ///   - digester: keyed hashes under the server key.
    ///   - vault: seals secrets at rest under the master key.
    ///   - passwords: the password hasher.
    ///   - configuration: the rules' numbers.
    ///   - composer: message texts.
    ///   - testClock: the manual clock in test mode, which enables `AdvanceClock` and `ReadOutbox`.
    ///   - deliveredChannels: channels with delivery configured; messages on the others stay `held`.
    ///   - onQueued: called when a message is queued for delivery (wakes the delivery worker).
    /// - Throws: when the dummy password hash cannot be made.
    public init(storage: any MFAStorage, clock: any Clock, random: any RandomSource, digester: SecretDigester,
                vault: SecretVault, passwords: any PasswordHasher, configuration: MFAConfiguration, composer: MessageComposer = MessageComposer(),
                testClock: ManualClock? = nil, deliveredChannels: Set<ContactChannel> = [],
                onQueued: (@Sendable () -> Void)? = nil) async throws {
        self.storage = storage
        self.clock = clock
        self.random = random
        self.digester = digester
        self.vault = vault
        self.passwords = passwords
        self.configuration = configuration
        self.composer = composer
        self.testClock = testClock
        self.deliveredChannels = deliveredChannels
        self.onQueued = onQueued
        self.dummyPasswordHash = try await passwords.hash("no account has this password")
    }

    /// Whether `AdvanceClock` and `ReadOutbox` are available.
    public var isTestMode: Bool { testClock != nil }

    /// Runs `body` in a write transaction. `body` returns a `Result` so that a failure that must
    /// persist state (a wrong code counted) commits; an `MFAError` thrown by `body` rolls back.
    /// A storage failure denies the request (fail closed).
    func transact<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) async throws -> Result<T, MFAError>) async throws(MFAError) -> T {
        let result: Result<T, MFAError>
        do {
            result = try await storage.write(body)
        } catch let error as MFAError {
            throw error
        } catch {
            throw MFAError.unavailable(error)
        }
        return try result.get()
    }

    /// Runs `body` against a read snapshot.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (any MFATransaction) async throws -> T) async throws(MFAError) -> T {
        do {
            return try await storage.read(body)
        } catch let error as MFAError {
            throw error
        } catch {
            throw MFAError.unavailable(error)
        }
    }

    /// Checks that `value` has the shape of the ids this service hands out (16 random bytes,
    /// base64url), so malformed input is refused before any lookup.
    /// - Throws: `INVALID_ARGUMENT` naming `field`.
    static func requireIdentifier(_ value: String, field: String) throws(MFAError) {
        guard OpaqueToken.isWellFormed(value, bytes: OpaqueToken.identifierByteCount) else {
            throw .invalidArgument("\(field): not a valid id")
        }
    }

    /// A new opaque id (16 random bytes).
    func newIdentifier() -> String {
        OpaqueToken.generate(bytes: OpaqueToken.identifierByteCount, using: random)
    }

    /// A new opaque token (32 random bytes).
    func newToken() -> String {
        OpaqueToken.generate(using: random)
    }
}
