import CSQLite
import Foundation
import MFACrypto
import MFAExecutors
import NIOCore
import NIOPosix

/// One write job waiting in the writer's queue: the caller's closure wrapped with its continuation.
struct SQLiteWriteJob: Sendable {
    /// What running a job's closure left behind, and how to answer its caller once the batch ends.
    struct Outcome: Sendable {
        /// What the closure threw, or `nil` when it returned.
        let error: (any Error)?
        /// Answers the caller: with its own result when `batchError` is `nil` (the batch committed),
        /// else with `batchError`.
        let finish: @Sendable (_ batchError: (any Error)?) -> Void
    }

    /// Runs the closure (inside the job's savepoint) and keeps its result; does not answer yet.
    let run: @Sendable (SQLiteConnection) async -> Outcome
    /// Answers the caller with `error` without running the closure.
    let fail: @Sendable (any Error) -> Void
}

/// The single writer: a dedicated thread owning the read-write connection, doing group commit.
///
/// The thread is an event loop of its own, used as the task executor of one long-lived task that
/// runs the batches: transaction bodies are `async` (the storage interface fits PostgreSQL too),
/// and on SQLite they never suspend, so a whole batch runs on this thread from `BEGIN` to `COMMIT`
/// and the connection never leaves it.
///
/// Jobs queue up; the thread takes every queued job (up to `maxBatchSize`), runs `BEGIN IMMEDIATE`,
/// each job in its own `SAVEPOINT` (a job that throws is rolled back to it, alone), then `COMMIT`,
/// and only after the commit returned answers the callers. If the transaction cannot be kept
/// (`BEGIN`, a savepoint or `COMMIT` fails, or a job ends the transaction) every job of the batch is
/// answered with the error: nothing is reported done that is not durable.
final class SQLiteWriter: @unchecked Sendable {
    // @unchecked Sendable: the mutable properties below (`queue`, `state`, `statistics`,
    // `finishWaiters`, `idleWaiter`) are read and written only while holding `condition`, a mutex with its
    // condition variable. The connection never leaves the writer thread: it is opened there and
    // lives in a local of `batchLoop`, the one task that runs on the writer's loop.
    private let condition = NSCondition()
    private var queue: [SQLiteWriteJob] = []
    private var state = State.starting
    private var statistics = SQLiteDatabase.Statistics()
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []
    /// The batch task, suspended while the queue is empty.
    private var idleWaiter: CheckedContinuation<Void, Never>?
    /// The writer's thread.
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private let maxBatchSize: Int

    private enum State {
        case starting, running, closing, finished
    }

    /// SQLite result codes after which the batch transaction cannot be trusted even if SQLite kept
    /// it open: the whole batch fails (fail closed).
    private static let batchFatalResultCodes: Set<Int32> = [
        SQLITE_IOERR, SQLITE_FULL, SQLITE_NOMEM, SQLITE_CORRUPT, SQLITE_NOTADB,
    ]

    private static let savepoint = "SAVEPOINT mfad_write_job"
    private static let rollbackToSavepoint = "ROLLBACK TO mfad_write_job"
    private static let releaseSavepoint = "RELEASE mfad_write_job"

    private init(maxBatchSize: Int) {
        self.maxBatchSize = maxBatchSize
    }

    /// Starts the writer thread, which opens the connection with `open` (pragmas, migrations).
    /// - Returns: The running writer, once `open` succeeded on its thread.
    /// - Throws: What `open` threw; the thread has ended then.
    static func start(
        maxBatchSize: Int,
        open: @escaping @Sendable () throws -> SQLiteConnection
    ) async throws -> SQLiteWriter {
        let writer = SQLiteWriter(maxBatchSize: maxBatchSize)
        let executor = EventLoopTaskExecutor(writer.group.next())
        try await withCheckedThrowingContinuation { (ready: CheckedContinuation<Void, any Error>) in
            Task(executorPreference: executor) {
                await writer.batchLoop(open: open, ready: ready)
                // Keeps the executor alive until the loop's last job ran.
                withExtendedLifetime(executor) {}
            }
        }
        return writer
    }

    // MARK: - Called from any thread

    /// Queues a job.
    /// - Returns: `false` when the writer is closing or closed (the job was not queued).
    func enqueue(_ job: SQLiteWriteJob) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard state == .running else {
            return false
        }
        queue.append(job)
        let waiter = idleWaiter
        idleWaiter = nil
        waiter?.resume()
        return true
    }

    /// Stops accepting jobs; the thread finishes the queued ones, closes the connection and ends.
    func requestClose() {
        condition.lock()
        defer { condition.unlock() }
        if state == .running || state == .starting {
            state = .closing
            let waiter = idleWaiter
            idleWaiter = nil
            waiter?.resume()
        }
    }

    /// Returns once the thread has ended and the connection is closed. Call ``requestClose()`` first.
    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if state == .finished {
                condition.unlock()
                continuation.resume()
            } else {
                finishWaiters.append(continuation)
                condition.unlock()
            }
        }
    }

    /// True once the writer stopped accepting jobs (closing, or finished).
    var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return state == .closing || state == .finished
    }

    /// A copy of the counters.
    var currentStatistics: SQLiteDatabase.Statistics {
        condition.lock()
        defer { condition.unlock() }
        var copy = statistics
        copy.pendingWrites = queue.count
        return copy
    }

    // MARK: - Writer thread

    private func batchLoop(
        open: @Sendable () throws -> SQLiteConnection,
        ready: CheckedContinuation<Void, any Error>
    ) async {
        let connection: SQLiteConnection
        do {
            connection = try open()
        } catch {
            markFinished()
            ready.resume(throwing: error)
            return
        }
        condition.withLock {
            if state == .starting {
                state = .running
            }
        }
        ready.resume()

        while let batch = await nextBatch() {
            await process(batch, on: connection)
        }
        connection.close()
        // Transaction bodies may have used OpenSSL (sealing, random ids): its state for this
        // thread is freed before close() returns, not at some point during the process's exit.
        CryptoThreadState.release()
        markFinished()
    }

    /// Waits for jobs and takes up to `maxBatchSize` of them; `nil` once closing and drained.
    private func nextBatch() async -> [SQLiteWriteJob]? {
        while true {
            let next: [SQLiteWriteJob]?? = condition.withLock {
                if !queue.isEmpty { return .some(takeBatch()) }
                return state == .closing ? .some(nil) : nil
            }
            if let next {
                return next
            }
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let waitForJobs = condition.withLock {
                    guard queue.isEmpty && state != .closing else { return false }
                    idleWaiter = waiter
                    return true
                }
                if !waitForJobs {
                    waiter.resume()
                }
            }
        }
    }

    /// Takes the next batch; call holding `condition` with a non-empty queue.
    private func takeBatch() -> [SQLiteWriteJob] {
        if queue.count <= maxBatchSize {
            var batch: [SQLiteWriteJob] = []
            batch.reserveCapacity(min(maxBatchSize, queue.count * 2))
            swap(&batch, &queue)
            return batch
        }
        let batch = Array(queue.prefix(maxBatchSize))
        queue.removeFirst(maxBatchSize)
        return batch
    }

    private func markFinished() {
        condition.lock()
        state = .finished
        let waiters = finishWaiters
        finishWaiters = []
        condition.unlock()
        // The loop's own thread cannot wait for its shutdown; another thread asks for it.
        let group = self.group
        DispatchQueue.global().async {
            group.shutdownGracefully { _ in }
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// Runs one batch as one transaction and answers its callers.
    private func process(_ batch: [SQLiteWriteJob], on connection: SQLiteConnection) async {
        do {
            try connection.run("BEGIN IMMEDIATE")
        } catch {
            abort(batch: batch, ran: [], notRun: batch[...], error: error, on: connection)
            return
        }

        var outcomes: [SQLiteWriteJob.Outcome] = []
        outcomes.reserveCapacity(batch.count)
        for (index, job) in batch.enumerated() {
            do {
                try connection.run(Self.savepoint)
            } catch {
                abort(batch: batch, ran: outcomes, notRun: batch[index...], error: error, on: connection)
                return
            }

            let outcome = await job.run(connection)
            outcomes.append(outcome)
            let notRun = batch[(index + 1)...]

            if let fatal = Self.batchFatalError(outcome.error, connection: connection) {
                abort(batch: batch, ran: outcomes, notRun: notRun, error: fatal, on: connection)
                return
            }
            do {
                if outcome.error != nil {
                    try connection.run(Self.rollbackToSavepoint)
                }
                try connection.run(Self.releaseSavepoint)
            } catch {
                abort(batch: batch, ran: outcomes, notRun: notRun, error: error, on: connection)
                return
            }
        }

        do {
            try connection.run("COMMIT")
        } catch {
            abort(batch: batch, ran: outcomes, notRun: [], error: error, on: connection)
            return
        }

        // Counted before answering, so a caller that reads the statistics after its write sees it.
        condition.withLock {
            statistics.committedBatches += 1
            statistics.committedJobs += batch.count
            statistics.rolledBackJobs += outcomes.lazy.filter { $0.error != nil }.count
            statistics.largestBatch = max(statistics.largestBatch, batch.count)
        }

        for outcome in outcomes {
            outcome.finish(nil)
        }
    }

    /// The error that sinks the whole batch after a job ran, if any: the job ended the transaction
    /// (COMMIT/ROLLBACK inside a write, or SQLite rolled it back after an error), or it hit an error
    /// that leaves the database state in doubt (I/O, full, out of memory, corrupt).
    private static func batchFatalError(_ jobError: (any Error)?, connection: SQLiteConnection) -> (any Error)? {
        let sqliteError = jobError as? SQLiteError
        if !connection.isInTransaction {
            return sqliteError ?? SQLiteError.failure(
                .batchAborted,
                "a write job ended the batch transaction (COMMIT, ROLLBACK or RELEASE inside write); the whole batch was failed",
                sql: nil
            )
        }
        if let sqliteError, sqliteError.kind == .sqlite, batchFatalResultCodes.contains(sqliteError.resultCode) {
            return sqliteError
        }
        return nil
    }

    /// Fails the whole batch: rolls back whatever is open, and answers every caller with `error`.
    private func abort(
        batch: [SQLiteWriteJob],
        ran: [SQLiteWriteJob.Outcome],
        notRun: ArraySlice<SQLiteWriteJob>,
        error: any Error,
        on connection: SQLiteConnection
    ) {
        if connection.isInTransaction {
            // If even ROLLBACK fails SQLite ends the transaction on its own; nothing was committed.
            _ = try? connection.run("ROLLBACK")
        }
        condition.lock()
        statistics.failedBatches += 1
        statistics.failedJobs += batch.count
        statistics.largestBatch = max(statistics.largestBatch, batch.count)
        condition.unlock()

        for outcome in ran {
            outcome.finish(error)
        }
        for job in notRun {
            job.fail(error)
        }
    }
}
