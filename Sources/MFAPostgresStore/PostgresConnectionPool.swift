import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// A fixed number of connections, each used by one transaction at a time.
///
/// Connections are made when first needed and made again when found closed (a server restart,
/// a failed ROLLBACK), so the pool heals without a restart of mfad. Callers beyond the pool's
/// size wait in order of arrival.
final class PostgresConnectionPool: Sendable {
    /// A place for one connection; `connection` is nil until connected, or after it broke.
    private struct Slot: Sendable {
        let id: Int
        var connection: PostgresConnection?
    }

    private struct State {
        var idle: [Slot]
        var waiters: [CheckedContinuation<Slot, any Error>] = []
        var isClosed = false
        var returnedAfterClose = 0
        var closeWaiter: CheckedContinuation<Void, Never>?
    }

    let size: Int
    private let location: PostgresLocation
    private let password: String?
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    /// The idle slots and the callers waiting for one; every change happens under this one lock.
    private let state: NIOLockedValueBox<State>

    init(location: PostgresLocation, password: String?, size: Int, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        precondition(size > 0, "a connection pool needs at least one connection, got \(size)")
        self.size = size
        self.location = location
        self.password = password
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.state = NIOLockedValueBox(State(idle: (0..<size).map { Slot(id: $0, connection: nil) }))
    }

    /// Runs `body` with a connection of its own, connecting first when needed.
    /// - Throws: ``PostgresStoreError/closed``, ``PostgresStoreError/connectionFailed(server:reason:)``,
    ///   or what `body` threw.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        var slot = try await lease()
        defer { giveBack(slot) }
        let connection: PostgresConnection
        if let existing = slot.connection, !existing.isClosed {
            connection = existing
        } else {
            slot.connection = nil
            connection = try await connect(id: slot.id)
            slot.connection = connection
        }
        return try await body(connection)
    }

    /// Makes one connection to the pool's location (also used for maintenance connections).
    func connect(id: Int) async throws -> PostgresConnection {
        try await Self.connect(location: location, password: password, id: id, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Makes one connection to `location`.
    /// - Throws: ``PostgresStoreError/connectionFailed(server:reason:)``, without the password;
    ///   ``PostgresStoreError/invalidURL(reason:)`` when its `sslrootcert` cannot be read.
    static func connect(location: PostgresLocation, password: String?, id: Int, eventLoopGroup: any EventLoopGroup,
                        logger: Logger) async throws -> PostgresConnection {
        let configuration = try location.connectionConfiguration(password: password)
        do {
            return try await PostgresConnection.connect(on: eventLoopGroup.next(), configuration: configuration,
                                                        id: id, logger: logger).get()
        } catch {
            let reason: String
            if let error = error as? PSQLError {
                // The server's message, else the cause underneath (a TLS verification failure).
                reason = error.serverInfo?[.message] ?? error.underlying.map { "\(error.code): \($0)" } ?? error.code.description
            } else {
                reason = "\(error)"
            }
            throw PostgresStoreError.connectionFailed(server: location.description, reason: reason)
        }
    }

    /// Refuses new work, waits until every leased connection is back, and closes them all.
    func close() async {
        let (waiters, idle) = state.withLockedValue { state -> ([CheckedContinuation<Slot, any Error>], [Slot]) in
            guard !state.isClosed else { return ([], []) }
            state.isClosed = true
            defer { state.waiters = []; state.idle = [] }
            state.returnedAfterClose += state.idle.count
            return (state.waiters, state.idle)
        }
        for waiter in waiters { waiter.resume(throwing: PostgresStoreError.closed) }
        for slot in idle { await Self.close(slot.connection) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLockedValue { state -> Bool in
                if state.returnedAfterClose >= size { return true }
                state.closeWaiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func lease() async throws -> Slot {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Slot, any Error>) in
            let outcome = state.withLockedValue { state -> Result<Slot, PostgresStoreError>? in
                if state.isClosed { return .failure(.closed) }
                if let slot = state.idle.popLast() { return .success(slot) }
                state.waiters.append(continuation)
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    private func giveBack(_ slot: Slot) {
        enum Next { case handOver(CheckedContinuation<Slot, any Error>), closeConnection(CheckedContinuation<Void, Never>?), keep }
        let next = state.withLockedValue { state -> Next in
            if state.isClosed {
                state.returnedAfterClose += 1
                let waiter = state.returnedAfterClose >= size ? state.closeWaiter : nil
                if waiter != nil { state.closeWaiter = nil }
                return .closeConnection(waiter)
            }
            if !state.waiters.isEmpty { return .handOver(state.waiters.removeFirst()) }
            state.idle.append(slot)
            return .keep
        }
        switch next {
        case .handOver(let waiter):
            waiter.resume(returning: slot)
        case .closeConnection(let closeWaiter):
            let connection = slot.connection
            Task {
                await Self.close(connection)
                closeWaiter?.resume()
            }
        case .keep:
            break
        }
    }

    private static func close(_ connection: PostgresConnection?) async {
        guard let connection, !connection.isClosed else { return }
        try? await connection.close()
    }
}
