import Logging
import MFACore
import MFAPostgresStore
import MFAStore
import Testing

/// The storage engines every contract test runs against.
enum Engine: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    var description: String { rawValue }
}

/// A storage engine under test: the service's side and the delivery side.
typealias TestStorage = any MFAStorage & OutboxQueue

/// Why a PostgreSQL case cannot run: it fails, never skips.
struct MissingPostgresServer: Error, CustomStringConvertible {
    var description: String {
        "MFA_TEST_POSTGRES_URL is not set: run the PostgreSQL cases under scripts/with-postgres (e.g. scripts/with-postgres swift test --skip-build --disable-xctest --filter 'Contract|Postgres')"
    }
}

enum TestSupport {
    static let logger = Logger(label: "mfa.contract-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The server scripts/with-postgres started.
    static func postgresURL() throws -> String {
        guard let url = PostgresTestEnvironment.value("MFA_TEST_POSTGRES_URL") else { throw MissingPostgresServer() }
        return url
    }

    /// Opens a fresh, empty store of `engine` (PostgreSQL: a scratch database of its own), runs
    /// `body`, then closes it (and drops the scratch database).
    static func withStore(_ engine: Engine, poolSize: Int = 4,
                          _ body: (TestStorage) async throws -> Void) async throws {
        switch engine {
        case .sqlite:
            let storage = try await SQLiteMFAStorage.openInMemory()
            do {
                try await body(storage)
            } catch {
                await storage.close()
                throw error
            }
            await storage.close()
        case .postgres:
            try await withScratchDatabase { scratch in
                let storage = try await PostgresMFAStorage.open(location: scratch.location, poolSize: poolSize, logger: logger)
                do {
                    try await body(storage)
                } catch {
                    await storage.close()
                    throw error
                }
                await storage.close()
            }
        }
    }

    /// A scratch PostgreSQL database for `body`, dropped afterwards.
    static func withScratchDatabase(_ body: (PostgresScratchDatabase) async throws -> Void) async throws {
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
