import Logging
import MFACore
import MFAPostgresStore
import MFAStore

/// The storage engines tests run against: `@Test(arguments: StorageEngine.allCases)`.
public enum StorageEngine: String, CaseIterable, CustomStringConvertible, Sendable {
    /// An in-memory SQLite database.
    case sqlite
    /// A scratch database on the server of `MFA_TEST_POSTGRES_URL` (scripts/with-postgres).
    case postgres

    public var description: String { rawValue }
}

/// A storage engine under test, as mfad sees it (transactions, outbox queue, operations).
public typealias TestStorage = any ServiceStorage

/// Why a PostgreSQL case cannot run: it fails, never skips.
public struct MissingPostgresServer: Error, CustomStringConvertible {
    public init() {}

    public var description: String {
        "MFA_TEST_POSTGRES_URL is not set: run the PostgreSQL cases under scripts/with-postgres (e.g. scripts/with-postgres swift test --skip-build --disable-xctest --filter 'Contract|Postgres')"
    }
}

/// Opening and cleaning up stores of either engine for tests.
public enum TestSupport {
    /// A logger that drops everything (postgres-nio logs at debug and trace).
    public static let logger = Logger(label: "mfa.storage-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The server scripts/with-postgres started.
    /// - Throws: ``MissingPostgresServer`` when `MFA_TEST_POSTGRES_URL` is unset.
    public static func postgresURL() throws -> String {
        guard let url = PostgresTestEnvironment.value("MFA_TEST_POSTGRES_URL") else { throw MissingPostgresServer() }
        return url
    }

    /// Opens a fresh, empty store of `engine` (PostgreSQL: a scratch database of its own), runs
    /// `body`, then closes it (and drops the scratch database).
    public static func withStore(_ engine: StorageEngine, poolSize: Int = 4,
                                 _ body: (TestStorage) async throws -> Void) async throws {
        switch engine {
        case .sqlite:
            try await closing(try await SQLiteMFAStorage.openInMemory(), body)
        case .postgres:
            try await withScratchDatabase { scratch in
                try await closing(try await PostgresMFAStorage.open(location: scratch.location, poolSize: poolSize, logger: logger), body)
            }
        }
    }

    /// Runs `body` on `storage`, then closes it, whether `body` threw or not.
    private static func closing(_ storage: TestStorage, _ body: (TestStorage) async throws -> Void) async throws {
        do {
            try await body(storage)
        } catch {
            await storage.close()
            throw error
        }
        await storage.close()
    }

    /// A scratch PostgreSQL database for `body`, dropped afterwards.
    public static func withScratchDatabase(_ body: (PostgresScratchDatabase) async throws -> Void) async throws {
        let scratch = try await PostgresScratchDatabase.create(url: try postgresURL(), logger: logger)
        do {
            try await body(scratch)
        } catch {
            try? await scratch.drop(logger: logger)
            throw error
        }
        try await scratch.drop(logger: logger)
    }
}
