import Foundation
import MFACrypto

/// The read-only connections: one dedicated thread each, all taking jobs from one FIFO queue, so
/// blocking SQLite calls never run on Swift's cooperative thread pool.
final class SQLiteReaderPool: @unchecked Sendable {
    /// A read job: runs the caller's closure on a reader connection and answers the caller itself.
    typealias Job = @Sendable (SQLiteConnection) -> Void

    // @unchecked Sendable: the mutable properties below (`queue`, `head`, `isClosing`,
    // `runningThreads`, `finishWaiters`) are read and written only while holding `condition`, a
    // mutex with its condition variable. Each connection is opened on its own thread and never
    // leaves it.
    private let condition = NSCondition()
    private var queue: [Job?] = []
    /// Index of the oldest queued job in `queue` (jobs before it are taken; compacted now and then).
    private var head = 0
    private var isClosing = false
    private var runningThreads = 0
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []

    private init() {}

    /// Starts `count` reader threads, each opening its connection with `open`.
    /// - Returns: The pool, once every connection opened.
    /// - Throws: The first error from `open`; the threads already started have ended then.
    static func start(
        count: Int,
        threadName: String,
        open: @escaping @Sendable () throws -> SQLiteConnection
    ) async throws -> SQLiteReaderPool {
        let pool = SQLiteReaderPool()
        for number in 0..<count {
            do {
                try await pool.startThread(name: "\(threadName)-\(number)", open: open)
            } catch {
                pool.requestClose()
                await pool.waitUntilFinished()
                throw error
            }
        }
        return pool
    }

    // MARK: - Called from any thread

    /// Queues a read job.
    /// - Returns: `false` when the pool is closing or closed (the job was not queued).
    func enqueue(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosing else {
            return false
        }
        queue.append(job)
        condition.signal()
        return true
    }

    /// Stops accepting jobs; the threads finish the queued ones, close their connections and end.
    func requestClose() {
        condition.lock()
        defer { condition.unlock() }
        isClosing = true
        condition.broadcast()
    }

    /// Returns once every reader thread has ended. Call ``requestClose()`` first.
    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if isClosing && runningThreads == 0 {
                condition.unlock()
                continuation.resume()
            } else {
                finishWaiters.append(continuation)
                condition.unlock()
            }
        }
    }

    /// Read jobs queued and not yet taken.
    var pendingJobs: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count - head
    }

    // MARK: - Reader threads

    private func startThread(name: String, open: @escaping @Sendable () throws -> SQLiteConnection) async throws {
        threadStarting()
        try await withCheckedThrowingContinuation { (ready: CheckedContinuation<Void, any Error>) in
            let thread = Thread { [self] in
                threadMain(open: open, ready: ready)
            }
            thread.name = name
            thread.start()
        }
    }

    private func threadMain(open: @Sendable () throws -> SQLiteConnection, ready: CheckedContinuation<Void, any Error>) {
        let connection: SQLiteConnection
        do {
            connection = try open()
        } catch {
            threadExited()
            ready.resume(throwing: error)
            return
        }
        ready.resume()
        while let job = nextJob() {
            job(connection)
        }
        connection.close()
        CryptoThreadState.release()  // see SQLiteWriter: freed before close() returns
        threadExited()
    }

    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count && !isClosing {
            condition.wait()
        }
        guard head < queue.count else {
            return nil  // closing and drained
        }
        let job = queue[head]
        queue[head] = nil  // do not keep the taken closure (and what it captured) alive
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 {
            queue.removeFirst(head)
            head = 0
        }
        return job
    }

    private func threadStarting() {
        condition.lock()
        runningThreads += 1
        condition.unlock()
    }

    private func threadExited() {
        condition.lock()
        runningThreads -= 1
        var waiters: [CheckedContinuation<Void, Never>] = []
        if runningThreads == 0 && isClosing {
            waiters = finishWaiters
            finishWaiters = []
        }
        condition.unlock()
        for waiter in waiters {
            waiter.resume()
        }
    }
}
