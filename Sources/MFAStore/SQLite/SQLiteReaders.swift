import Foundation
import MFACrypto
import MFAExecutors
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The read-only connections, one per thread that reads, so a read never waits for a connection
/// and, on an event loop, never leaves its thread.
///
/// A read called on a NIO event loop thread (a request task running on its connection's loop)
/// runs right there on that thread's own connection, opened on its first read: no thread hop,
/// no queue. WAL readers never wait for the writer, so the loop is held only for the read
/// itself. A read from anywhere else (a task on Swift's global executor, a tool) hops to one of
/// the store's own reader loops with a task executor preference and runs on that loop's
/// connection. Statements stay prepared per connection.
final class SQLiteReaders: Sendable {
    /// One thread's connection; `inUse` keeps a (theoretical) second read on the same thread,
    /// while the first is suspended, off it.
    private final class Slot: @unchecked Sendable {
        // @unchecked Sendable: `connection` and `inUse` are read and written only under `lock`;
        // the connection is used by the one read that marked it in use.
        private let lock = NIOLock()
        private var connection: SQLiteConnection?
        private var inUse = false

        init(_ connection: SQLiteConnection) {
            self.connection = connection
        }

        /// The connection, marked in use; nil when another read holds it or it was closed.
        func take() -> SQLiteConnection? {
            lock.withLock {
                guard let connection, !inUse else { return nil }
                inUse = true
                return connection
            }
        }

        func give() {
            lock.withLock { inUse = false }
        }

        /// Closes the connection (never while a read holds it: `close` waits for reads first).
        func close() {
            lock.withLock {
                connection?.close()
                connection = nil
            }
        }
    }

    private struct State {
        var slots: [Slot] = []
        var isClosing = false
        var running = 0
        var closeWaiter: CheckedContinuation<Void, Never>?
        /// Set once the first `close` has closed everything; later calls wait for it.
        var isClosed = false
        var closedWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let open: @Sendable () throws -> SQLiteConnection
    private let group: MultiThreadedEventLoopGroup
    private let executors: EventLoopTaskExecutors
    private let threadSlot = ThreadSpecificVariable<Slot>()
    private let state = NIOLockedValueBox(State())

    /// Starts `count` reader loops and opens a first connection to check that reading works.
    /// - Throws: What `open` threw.
    static func start(count: Int, open: @escaping @Sendable () throws -> SQLiteConnection) async throws -> SQLiteReaders {
        let readers = SQLiteReaders(count: count, open: open)
        do {
            // Opens the first loop's connection now, so a database that cannot be read fails to open.
            try await readers.read { _ in }
        } catch {
            await readers.close()
            throw error
        }
        return readers
    }

    private init(count: Int, open: @escaping @Sendable () throws -> SQLiteConnection) {
        self.open = open
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, count))
        self.executors = EventLoopTaskExecutors(group)
    }

    /// Reads waiting or running.
    var pendingJobs: Int {
        state.withLockedValue { $0.running }
    }

    /// Runs `body` on a reader connection of this thread (on an event loop) or of a reader loop.
    /// - Throws: ``SQLiteError/databaseClosed(_:)`` once closing, an error opening the
    ///   connection, or what `body` threw.
    func read<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try enter()
        defer { leave() }
        if MultiThreadedEventLoopGroup.currentEventLoop != nil, let (slot, connection) = try currentSlot() {
            defer { slot.give() }
            return try await body(connection)
        }
        return try await withTaskExecutorPreference(executors.executor(for: group.next())) {
            if let (slot, connection) = try currentSlot() {
                defer { slot.give() }
                return try await body(connection)
            }
            // This loop's connection is held by a suspended read: a connection of its own.
            let connection = try open()
            defer { connection.close() }
            return try await body(connection)
        }
    }

    /// Stops new reads, waits for the running ones, closes every connection and the loops.
    func close() async {
        let alreadyClosing = state.withLockedValue { state -> Bool in
            defer { state.isClosing = true }
            return state.isClosing
        }
        if alreadyClosing {
            // Another close does the work; returns once it is done.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let closed = state.withLockedValue { state -> Bool in
                    if state.isClosed { return true }
                    state.closedWaiters.append(continuation)
                    return false
                }
                if closed { continuation.resume() }
            }
            return
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLockedValue { state -> Bool in
                if state.running == 0 { return true }
                state.closeWaiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
        for slot in state.withLockedValue({ $0.slots }) {
            slot.close()
        }
        // Readers may have used OpenSSL on these threads; freed before close() returns.
        for loop in group.makeIterator() {
            try? await loop.submit { CryptoThreadState.release() }.get()
        }
        try? await group.shutdownGracefully()
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.isClosed = true
            defer { state.closedWaiters = [] }
            return state.closedWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Internals

    /// This thread's slot and its connection, opened on first use; nil when it is in use.
    private func currentSlot() throws -> (Slot, SQLiteConnection)? {
        let slot: Slot
        if let existing = threadSlot.currentValue {
            slot = existing
        } else {
            slot = Slot(try open())
            let kept = state.withLockedValue { state -> Bool in
                guard !state.isClosing else { return false }
                state.slots.append(slot)
                return true
            }
            guard kept else {
                slot.close()
                throw SQLiteError.databaseClosed("read")
            }
            threadSlot.currentValue = slot
        }
        return slot.take().map { (slot, $0) }
    }

    private func enter() throws {
        let accepted = state.withLockedValue { state -> Bool in
            guard !state.isClosing else { return false }
            state.running += 1
            return true
        }
        if !accepted { throw SQLiteError.databaseClosed("read") }
    }

    private func leave() {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            state.running -= 1
            guard state.running == 0, let waiter = state.closeWaiter else { return nil }
            state.closeWaiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
