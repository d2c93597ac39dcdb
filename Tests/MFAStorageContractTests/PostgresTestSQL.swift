import MFAStorageTestSupport
import MFAPostgresStore
import NIOPosix
import PostgresNIO

/// Raw SQL against a scratch database, for tests that tamper with it.
enum PostgresTestSQL {
    static func run(_ sql: String, on scratch: PostgresScratchDatabase) async throws {
        let connection = try await connect(to: scratch)
        defer { Task { try? await connection.close() } }
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestSupport.logger).get()
    }

    /// The one `bigint` a query answers (a count).
    static func count(_ sql: String, on scratch: PostgresScratchDatabase) async throws -> Int64 {
        let connection = try await connect(to: scratch)
        defer { Task { try? await connection.close() } }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestSupport.logger).get().rows
        return try rows.first?.decode(Int64.self) ?? -1
    }

    /// A plain connection to the scratch database, outside any mfad store (close it when done).
    static func connect(to scratch: PostgresScratchDatabase, id: Int = 1) async throws -> PostgresConnection {
        let location = scratch.location
        guard case .tcp(let host, let port) = location.endpoint else { throw MissingPostgresServer() }
        let configuration = PostgresConnection.Configuration(host: host, port: port, username: location.username,
                                                             password: location.password, database: location.database, tls: .disable)
        return try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                    configuration: configuration, id: id, logger: TestSupport.logger)
    }
}
