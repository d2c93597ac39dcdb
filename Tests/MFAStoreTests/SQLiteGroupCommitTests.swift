import Testing

import MFAStore

@Suite("SQLiteDatabase group commit")
struct SQLiteGroupCommitTests {
    static let counterSchema = SQLiteMigration(
        version: 1,
        name: "counter",
        sql: """
            CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL);
            INSERT INTO counter (id, value) VALUES (1, 0);
            CREATE TABLE log (id INTEGER PRIMARY KEY, tag TEXT NOT NULL);
            """
    )

    private func counter(_ connection: SQLiteConnection) throws -> Int {
        try connection.queryOne("SELECT value FROM counter WHERE id = 1")?.int("value") ?? -1
    }

    /// Queues `body` as a write from a new task and waits until it sits in the writer's queue, so
    /// jobs queued one after another this way keep their order.
    private func queueWrite<T: Sendable>(
        _ database: SQLiteDatabase,
        _ body: @escaping @Sendable (SQLiteConnection) throws -> T
    ) async throws -> Task<T, any Error> {
        let pendingBefore = database.statistics.pendingWrites
        let task = Task { try await database.write(body) }
        try await waitUntil("the write is queued") { database.statistics.pendingWrites == pendingBefore + 1 }
        return task
    }

    @Test("1,000 concurrent increments end at exactly 1,000, in fewer commits than jobs")
    func concurrentIncrements() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(path: path, migrations: [Self.counterSchema])
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<1000 {
                    group.addTask {
                        try await database.write { connection in
                            try connection.run("UPDATE counter SET value = value + 1 WHERE id = 1")
                        }
                    }
                }
                for try await changed in group {
                    #expect(changed == 1)
                }
            }
            #expect(try await database.read { try counter($0) } == 1000)
            let statistics = database.statistics
            #expect(statistics.committedJobs == 1000)
            #expect(statistics.committedBatches < statistics.committedJobs)
            #expect(statistics.committedBatches >= 1)
            #expect(statistics.largestBatch > 1)
            #expect(statistics.largestBatch <= 256)
            #expect(statistics.failedBatches == 0)
            #expect(statistics.pendingWrites == 0)
            await database.close()
        }
    }

    @Test("in one batch a throwing job is rolled back alone; each job sees the one before it")
    func savepointIsolation() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(path: path, migrations: [Self.counterSchema])
            let gate = WriterGate()
            let blocker = Task { try await database.write { _ in gate.enterAndWait() } }
            try await waitUntil("the writer is held") { gate.hasEntered }
            let before = database.statistics

            let first = try await queueWrite(database) { connection -> Int in
                try connection.run("UPDATE counter SET value = value + 1 WHERE id = 1")
                try connection.run("INSERT INTO log (tag) VALUES ('first')")
                return try counter(connection)
            }
            let failing = try await queueWrite(database) { connection -> Int in
                try connection.run("UPDATE counter SET value = value + 100 WHERE id = 1")
                try connection.run("INSERT INTO log (tag) VALUES ('failing')")
                #expect(try counter(connection) == 101)  // its own change is visible to itself
                throw TestFailure(message: "job two fails")
            }
            let third = try await queueWrite(database) { connection -> Int in
                // Sees the first job's increment but not the failed job's.
                let seen = try counter(connection)
                try connection.run("UPDATE counter SET value = value + 1 WHERE id = 1")
                try connection.run("INSERT INTO log (tag) VALUES ('third')")
                return seen
            }
            #expect(database.statistics.pendingWrites == 3)
            gate.open()
            try await blocker.value

            #expect(try await first.value == 1)
            await #expect(throws: TestFailure(message: "job two fails")) { try await failing.value }
            #expect(try await third.value == 1)

            let (value, tags) = try await database.read { connection in
                (try counter(connection), try connection.query("SELECT tag FROM log ORDER BY id").map { try $0.string(0) })
            }
            #expect(value == 2)
            #expect(tags == ["first", "third"])

            let after = database.statistics
            // The held job's batch, then the three queued jobs in one commit.
            #expect(after.committedBatches == before.committedBatches + 2)
            #expect(after.committedJobs == before.committedJobs + 4)
            #expect(after.rolledBackJobs == before.rolledBackJobs + 1)
            #expect(after.largestBatch == 3)
            await database.close()
        }
    }

    @Test("the batch cap splits a long queue into batches of at most maxBatchSize")
    func batchCap() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(
                path: path,
                configuration: .init(maxBatchSize: 4),
                migrations: [Self.counterSchema]
            )
            let gate = WriterGate()
            let blocker = Task { try await database.write { _ in gate.enterAndWait() } }
            try await waitUntil("the writer is held") { gate.hasEntered }
            let before = database.statistics
            var tasks: [Task<Int, any Error>] = []
            for _ in 0..<10 {
                tasks.append(try await queueWrite(database) { connection in
                    try connection.run("UPDATE counter SET value = value + 1 WHERE id = 1")
                    return try counter(connection)
                })
            }
            gate.open()
            try await blocker.value
            var seen: [Int] = []
            for task in tasks {
                seen.append(try await task.value)
            }
            #expect(seen == Array(1...10))  // queue order is kept
            let after = database.statistics
            #expect(after.committedBatches == before.committedBatches + 4)  // the held job, then 4 + 4 + 2
            #expect(after.largestBatch == 4)
            await database.close()
        }
    }

    @Test("a failing COMMIT fails every job of the batch and keeps none of its changes")
    func commitFailureFailsBatch() async throws {
        let schema = SQLiteMigration(
            version: 1,
            name: "deferred foreign key",
            sql: """
                CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (
                    id INTEGER PRIMARY KEY,
                    parent_id INTEGER NOT NULL REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED
                );
                CREATE TABLE other (v INTEGER NOT NULL);
                """
        )
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(path: path, migrations: [schema])
            let gate = WriterGate()
            let blocker = Task { try await database.write { _ in gate.enterAndWait() } }
            try await waitUntil("the writer is held") { gate.hasEntered }

            let innocent = try await queueWrite(database) { connection in
                try connection.run("INSERT INTO other (v) VALUES (1)")
            }
            // Violates a deferred foreign key: checked only at COMMIT, so the job itself succeeds.
            let orphan = try await queueWrite(database) { connection in
                try connection.run("INSERT INTO child (id, parent_id) VALUES (1, 42)")
            }
            gate.open()
            try await blocker.value

            for task in [innocent, orphan] {
                do {
                    _ = try await task.value
                    Issue.record("a job of a batch whose COMMIT failed was reported done")
                } catch let error as SQLiteError {
                    #expect(error.isConstraint)
                    #expect(error.extendedResultCode == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
                    #expect(error.sql == "COMMIT")
                }
            }
            let counts = try await database.read { connection in
                [try connection.queryOne("SELECT count(*) FROM other")?.int(0), try connection.queryOne("SELECT count(*) FROM child")?.int(0)]
            }
            #expect(counts == [0, 0])
            #expect(database.statistics.failedBatches == 1)
            #expect(database.statistics.failedJobs == 2)

            // The writer goes on: the next write commits.
            try await database.write { try $0.run("INSERT INTO other (v) VALUES (2)") }
            #expect(try await database.read { try $0.queryOne("SELECT sum(v) FROM other")?.int(0) } == 2)
            await database.close()
        }
    }

    @Test("when BEGIN IMMEDIATE cannot get the lock the write fails closed with SQLITE_BUSY")
    func beginBusyFailsClosed() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(
                path: path,
                configuration: .init(busyTimeout: .milliseconds(50)),
                migrations: [Self.counterSchema]
            )
            let intruder = try SQLiteConnection(path: path)
            try intruder.execute("BEGIN IMMEDIATE")
            do {
                _ = try await database.write { try $0.run("UPDATE counter SET value = 99 WHERE id = 1") }
                Issue.record("a write succeeded while another connection held the write lock")
            } catch let error as SQLiteError {
                #expect(error.isBusy)
                #expect(error.sql == "BEGIN IMMEDIATE")
            }
            try intruder.execute("ROLLBACK")

            #expect(try await database.write { try $0.run("UPDATE counter SET value = 7 WHERE id = 1") } == 1)
            #expect(try await database.read { try counter($0) } == 7)
            #expect(database.statistics.failedBatches == 1)
            await database.close()
        }
    }

    @Test("a job that commits on its own sinks its batch instead of breaking the writer")
    func jobEndingTransaction() async throws {
        let database = try await SQLiteDatabase.openInMemory(migrations: [Self.counterSchema])
        await expectSQLiteError(.batchAborted) {
            try await database.write { try $0.execute("COMMIT") }
        }
        #expect(try await database.write { try $0.run("UPDATE counter SET value = 5 WHERE id = 1") } == 1)
        #expect(try await database.read { try counter($0) } == 5)
        await database.close()
    }
}
