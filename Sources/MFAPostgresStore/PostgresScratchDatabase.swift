import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A database with a random name, made for one test (or one multi-node test run) and dropped
/// afterwards, so tests run in parallel against one server without seeing each other's rows.
public struct PostgresScratchDatabase: Sendable {
    /// Where the scratch database is (with the password the server was reached with, if the
    /// maintenance URL had one).
    public let location: PostgresLocation
    private let maintenance: PostgresLocation
    private let password: String?

    /// Creates a database named `<prefix>_<16 random hex digits>` on the server of `url`, owned
    /// by the URL's role (which needs CREATEDB).
    /// - Parameters:
    ///   - url: A `postgres://` URL of an existing database to connect to for CREATE/DROP DATABASE.
    ///   - password: Used when the URL has none (else `MFAD_DB_PASSWORD`).
    ///   - prefix: The name's start: lower-case letters, digits and `_` only.
    ///   - logger: For postgres-nio's connection logs.
    /// - Returns: The new database; call ``drop(logger:)`` when done.
    /// - Throws: ``PostgresStoreError``.
    public static func create(url: String, password: String? = nil, prefix: String = "mfa_scratch",
                              logger: Logger) async throws -> PostgresScratchDatabase {
        guard !prefix.isEmpty, prefix.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw PostgresStoreError.invalidURL(reason: "a scratch database prefix must be lower-case letters, digits and _ only")
        }
        let maintenance = try PostgresLocation(url: url)
        let password = maintenance.resolvedPassword(fallback: password)
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        let suffix = String(repeating: "0", count: 16 - digits.count) + digits
        let name = "\(prefix)_\(suffix)"
        // An identifier cannot be a $n parameter; the name is built above from [a-z0-9_] only.
        try await run("CREATE DATABASE \"\(name)\"", on: maintenance, password: password, logger: logger)
        var location = maintenance.with(database: name)
        location.password = password
        return PostgresScratchDatabase(location: location, maintenance: maintenance, password: password)
    }

    /// The scratch database's URL, password included: for handing to a child process in tests.
    public var url: String { location.url(includingPassword: true) }

    /// Drops the database, ending any connection still open to it.
    ///
    /// `WITH (FORCE)` refuses (SQLSTATE 42501) while an autovacuum worker is on the database
    /// and the role lacks `pg_signal_backend`: a worker has no role the dropping one belongs to.
    /// The worker is gone within moments, so the drop is tried again for up to five seconds.
    /// - Throws: ``PostgresStoreError``.
    public func drop(logger: Logger) async throws {
        let sql = "DROP DATABASE IF EXISTS \"\(location.database)\" WITH (FORCE)"
        var attempt = 1
        while true {
            do {
                return try await Self.run(sql, on: maintenance, password: password, logger: logger)
            } catch let error as PostgresStoreError where error.sqlState == "42501" && attempt < Self.dropAttempts {
                attempt += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private static let dropAttempts = 50

    private static func run(_ sql: String, on location: PostgresLocation, password: String?, logger: Logger) async throws {
        try await location.withOwnConnection(password: password, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                                             logger: logger) { session in
            // CREATE and DROP DATABASE copy or remove files and may take longer than the bound
            // every mfad session carries.
            try await session.execute("SET statement_timeout = 0")
            try await session.execute(sql)
        }
    }
}
