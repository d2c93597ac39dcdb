import MFAExecutors
import MFAStore
import NIOCore
import NIOPosix
import Testing

/// Where a read runs: on the event loop that asked for it (a request task on its connection's
/// loop), with no hop to another thread; from anywhere else, on one of the store's reader loops.
@Suite("SQLiteDatabase reads and threads")
struct SQLiteReadThreadTests {
    static let schema = SQLiteMigration(version: 1, name: "one", sql: "CREATE TABLE one (id INTEGER PRIMARY KEY);")

    /// Runs `body` in a task whose executor preference is `loop`, as mfad's request tasks are.
    private func onLoop<T: Sendable>(_ loop: any EventLoop, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task(executorPreference: EventLoopTaskExecutor(loop)) { try await body() }.value
    }

    @Test("a read asked for on an event loop runs on that loop's thread, every time")
    func readOnAnEventLoopStaysOnIt() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(path: path, migrations: [Self.schema])
            for loop in group.makeIterator() {
                for _ in 0..<3 {
                    let stayed = try await onLoop(loop) {
                        try await database.read { connection in
                            _ = try connection.queryOne("SELECT count(*) AS n FROM one")
                            return loop.inEventLoop
                        }
                    }
                    #expect(stayed, "the read left the loop it was asked for on")
                }
            }
            await database.close()
        }
        try await group.shutdownGracefully()
    }

    @Test("a read asked for off any event loop runs on a reader loop, not on the caller's thread")
    func readOffAnEventLoopRunsOnAReaderLoop() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(path: path, migrations: [Self.schema])
            let onAnEventLoop = try await database.read { _ in MultiThreadedEventLoopGroup.currentEventLoop != nil }
            #expect(onAnEventLoop, "the read did not run on one of the store's reader loops")
            await database.close()
        }
    }
}
