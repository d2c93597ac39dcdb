import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// The connections of one node to its database: postgres-nio's `PostgresClient` (the pool),
/// whose `run()` goes on in a task this type owns, on mfad's own event loops.
///
/// The client connects when a lease needs one, keeps up to its maximum, replaces a connection
/// found closed (a server restart, a failed ROLLBACK) and closes those idle for a minute. During
/// an outage a lease waits while the client reconnects with backoff; once connecting has failed
/// for a minute with no connection open, the client's circuit breaker fails every waiting and new
/// lease at once (``PostgresStoreError/connectionFailed(server:reason:)``) until a connection
/// succeeds again.
///
/// Closing refuses new work, waits for the work in flight, then ends the client, which closes
/// every connection.
final class PostgresConnections: Sendable {
    private struct InFlight {
        var count = 0
        var isClosed = false
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    /// The database, as shown in errors (no password).
    let server: String
    private let client: PostgresClient
    private let running: Task<Void, Never>
    private let inFlight = NIOLockedValueBox(InFlight())

    private init(server: String, client: PostgresClient, running: Task<Void, Never>) {
        self.server = server
        self.client = client
        self.running = running
    }

    /// Starts a client of at most `maximumConnections` connections to `location`, and returns
    /// once its `run()` has begun (a lease before that works, but postgres-nio warns about it).
    /// - Throws: ``PostgresStoreError/invalidURL(reason:)`` when the TLS settings cannot be used.
    static func start(location: PostgresLocation, password: String?, maximumConnections: Int,
                      eventLoopGroup: any EventLoopGroup, logger: Logger) async throws -> PostgresConnections {
        let configuration = try location.clientConfiguration(password: password, maximumConnections: maximumConnections)
        let client = PostgresClient(configuration: configuration, eventLoopGroup: eventLoopGroup, backgroundLogger: logger)
        let (began, signal) = AsyncStream<Void>.makeStream()
        let running = Task {
            // run() marks the client running before it first suspends, right after this signal.
            signal.finish()
            await client.run()
        }
        for await _ in began {}
        return PostgresConnections(server: location.description, client: client, running: running)
    }

    /// A storage dropped without ``close()`` (a failed test, an error path) still ends its client:
    /// the running `run()` would otherwise keep the client and its connections for good.
    deinit {
        running.cancel()
    }

    /// Runs `body` with a connection of its own for as long as it runs.
    /// - Throws: ``PostgresStoreError/closed`` after ``close()``,
    ///   ``PostgresStoreError/connectionFailed(server:reason:)`` when no connection could be had,
    ///   or what `body` threw.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try enter()
        defer { leave() }
        var leased = false
        do {
            return try await client.withConnection { connection in
                leased = true
                return try await body(connection)
            }
        } catch where !leased {
            throw PostgresStoreError.connectionFailed(server: server, reason: PostgresLocation.reason(error))
        }
    }

    /// Refuses new work, waits until the work in flight is done, and ends the client.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = inFlight.withLockedValue { state -> Bool in
                state.isClosed = true
                if state.count == 0 { return true }
                state.drained.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
        running.cancel()
        await running.value
    }

    private func enter() throws {
        try inFlight.withLockedValue { state in
            guard !state.isClosed else { throw PostgresStoreError.closed }
            state.count += 1
        }
    }

    private func leave() {
        let drained = inFlight.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            guard state.isClosed, state.count == 0 else { return [] }
            defer { state.drained = [] }
            return state.drained
        }
        for waiter in drained { waiter.resume() }
    }
}
