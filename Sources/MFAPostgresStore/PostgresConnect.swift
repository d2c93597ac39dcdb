import Logging
import NIOCore
import PostgresNIO

extension PostgresLocation {
    /// Makes one connection of mfad's own to this location, outside the client's pool: the first
    /// connection at open (so a wrong password or an unreachable server fails the start at once,
    /// with the server's reason) and the maintenance connections of scratch databases.
    /// - Throws: ``PostgresStoreError/connectionFailed(server:reason:)``, without the password;
    ///   ``PostgresStoreError/invalidURL(reason:)`` when its `sslrootcert` cannot be read.
    private func connect(password: String?, eventLoopGroup: any EventLoopGroup, logger: Logger) async throws -> PostgresConnection {
        let configuration = try connectionConfiguration(password: password)
        do {
            return try await PostgresConnection.connect(on: eventLoopGroup.next(), configuration: configuration,
                                                        id: 0, logger: logger).get()
        } catch {
            throw PostgresStoreError.connectionFailed(server: description, reason: Self.reason(error))
        }
    }

    /// Runs `body` on a connection of mfad's own to this location (see
    /// ``connect(password:eventLoopGroup:logger:)``), closed afterwards whether `body` threw or not.
    /// - Throws: what `connect` or `body` threw.
    func withOwnConnection<T>(password: String?, eventLoopGroup: any EventLoopGroup, logger: Logger,
                              _ body: (PostgresSession) async throws -> T) async throws -> T {
        let connection = try await connect(password: password, eventLoopGroup: eventLoopGroup, logger: logger)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(PostgresSession(connection: connection, logger: logger)))
        } catch {
            result = .failure(error)
        }
        try? await connection.close().get()
        return try result.get()
    }

    /// Why a connection attempt failed: the server's message, else the cause underneath (a TLS
    /// verification failure), else the error itself. Never the password.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        return error.serverInfo?[.message] ?? error.underlying.map { "\(error.code): \($0)" } ?? error.code.description
    }
}
