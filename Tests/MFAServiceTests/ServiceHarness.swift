import MFACore
import MFACrypto
import MFAStorageTestSupport
import Testing

/// An `MFAService` on a fresh store (an in-memory SQLite database, or a PostgreSQL scratch
/// database under scripts/with-postgres) with a manual clock and seeded randomness.
struct ServiceHarness {
    let service: MFAService
    let clock: ManualClock
    let storage: any MFAStorage

    /// Runs `body` with a harness on a fresh store of `engine`, closed (and for PostgreSQL
    /// dropped) afterwards.
    static func with(_ engine: StorageEngine, configure: (inout MFAConfiguration) -> Void = { _ in },
                     _ body: (ServiceHarness) async throws -> Void) async throws {
        try await TestSupport.withStore(engine, poolSize: 2) { storage in
            try await body(try await make(storage: storage, configure: configure))
        }
    }

    private static func make(storage: any MFAStorage,
                             configure: (inout MFAConfiguration) -> Void) async throws -> ServiceHarness {
        let clock = ManualClock()
        let service = try await TestService.make(storage: storage, clock: clock, random: SeededRandomSource(seed: 42),
                                                 configure: configure)
        return ServiceHarness(service: service, clock: clock, storage: storage)
    }

    /// Creates an account and confirms its email and phone with the codes sign-up sent.
    @discardableResult
    func createAccount(_ email: String = "ada@example.com", plan: String = "pro", workspace: String = "acme") async throws -> String {
        let id = try await service.createAccount(NewAccount(email: email, password: "correct horse", phone: "+41791234567",
                                                            plan: plan, workspace: workspace))
        let messages = try await service.readOutbox()
        for channel in ContactChannel.allCases {
            let recipient = channel == .email ? email : "+41791234567"
            guard let message = messages.last(where: { $0.channel == channel.rawValue && $0.recipient == recipient }) else {
                throw HarnessError.noEmail
            }
            _ = try await service.verifyContact(accountID: id, channel: channel.rawValue, code: message.code)
        }
        return id
    }

    func enforceNow(workspace: String = "") async throws {
        _ = try await service.setEnforcementPolicy(EnforcementChange(
            workspace: workspace, enforceFrom: .set(clock.now()), exemptPlans: .unchanged, grace: .unchanged))
    }

    /// Logs in and returns the challenge id (fails the test when a session comes back).
    func challenge(_ email: String = "ada@example.com") async throws -> String {
        guard case .challenge(let challenge) = try await service.login(LoginAttempt(email: email, password: "correct horse")) else {
            throw HarnessError.expectedChallenge
        }
        return challenge.id
    }

    /// The newest email in the outbox for `email`.
    func latestEmail(to email: String = "ada@example.com") async throws -> OpenedOutboxMessage {
        guard let message = try await service.readOutbox().last(where: { $0.recipient == email }) else {
            throw HarnessError.noEmail
        }
        return message
    }

    func advance(_ seconds: UInt64) async throws {
        _ = try await service.advanceClock(seconds: seconds)
    }
}

enum HarnessError: Error {
    case expectedChallenge
    case noEmail
}

/// The `MFAError` an operation threw, or nil when it did not throw (another error fails the test).
func failure<T>(_ operation: () async throws -> T) async -> MFAError? {
    do {
        _ = try await operation()
        return nil
    } catch let error as MFAError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}
