import NIOCore

/// A NIO event loop as a Swift concurrency `TaskExecutor`: a task started with this executor as
/// its preference (`Task(executorPreference:)`, `withTaskExecutorPreference`) runs its
/// nonisolated code on the loop's thread, so awaiting work that completes on the same loop (a
/// channel write, a PostgreSQL answer on a connection of that loop, an SQLite read on the loop's
/// own connection) resumes without crossing threads.
///
/// Used for the request tasks of a connection (on the connection's loop) and for the store's own
/// threads (the SQLite writer and readers). Whatever runs on it must not block for long: the
/// loop serves every other channel and task on it meanwhile. Make one per loop and keep it for
/// the loop's life (``EventLoopTaskExecutors``): unowned references to it are handed to jobs.
public final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    /// The loop that runs the jobs.
    public let eventLoop: any EventLoop

    /// - Parameter eventLoop: The loop that runs the jobs.
    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute {
            job.runSynchronously(on: executor)
        }
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}

/// One ``EventLoopTaskExecutor`` for each loop of a group, made once.
public struct EventLoopTaskExecutors: Sendable {
    private let executors: [ObjectIdentifier: EventLoopTaskExecutor]

    /// - Parameter group: The group whose loops get an executor each.
    public init(_ group: any EventLoopGroup) {
        var executors: [ObjectIdentifier: EventLoopTaskExecutor] = [:]
        for loop in group.makeIterator() {
            executors[ObjectIdentifier(loop)] = EventLoopTaskExecutor(loop)
        }
        self.executors = executors
    }

    /// The executor of `eventLoop`, or a new one for a loop outside the group.
    public func executor(for eventLoop: any EventLoop) -> EventLoopTaskExecutor {
        executors[ObjectIdentifier(eventLoop)] ?? EventLoopTaskExecutor(eventLoop)
    }
}
