import Testing

import MFAStore

@Suite("SQLiteDatabase readers, durability and lifecycle")
struct SQLiteDatabaseTests {
    static let schema = SQLiteMigration(
        version: 1,
        name: "kv",
        sql: "CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
    )

    @Test("an acknowledged write is there after closing and reopening the file")
    func durableAcrossReopen() async throws {
        try await withTemporaryDatabasePath { path in
            let secret: [UInt8] = [0, 1, 2, 0, 255]
            let first = try await SQLiteDatabase.open(path: path, migrations: [Self.schema])
            try await first.write { try $0.run("INSERT INTO kv (key, value) VALUES (?, ?)", ["k", .blob(secret)]) }
            await first.close()

            let second = try await SQLiteDatabase.open(path: path, migrations: [Self.schema])
            let value = try await second.read { try $0.queryOne("SELECT value FROM kv WHERE key = ?", ["k"])?.blob("value") }
            #expect(value == secret)
            await second.close()
        }
    }

    @Test("readers see committed data, in one snapshot, and cannot write")
    func readersReadOnly() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(
                path: path,
                configuration: .init(readerCount: 3),
                migrations: [Self.schema]
            )
            try await database.write { try $0.run("INSERT INTO kv (key, value) VALUES ('a', x'01')") }
            let seen = try await database.read { try $0.queryOne("SELECT value FROM kv WHERE key = 'a'")?.blob(0) }
            #expect(seen == [1])

            for attempt in [
                "INSERT INTO kv (key, value) VALUES ('b', x'02')",
                "DELETE FROM kv",
                "CREATE TABLE sneaky (x)",
            ] {
                do {
                    _ = try await database.read { try $0.run(attempt) }
                    Issue.record("a reader wrote: \(attempt)")
                } catch let error as SQLiteError {
                    #expect(error.isReadOnly, "\(error)")
                }
            }
            #expect(try await database.read { try $0.queryOne("SELECT count(*) FROM kv")?.int(0) } == 1)
            #expect(try await database.read { $0.isInTransaction } == true)  // reads run in a read transaction
        }
    }

    @Test("many concurrent reads all complete on the reader threads")
    func concurrentReads() async throws {
        let database = try await SQLiteDatabase.openInMemory(
            configuration: .init(readerCount: 2),
            migrations: [Self.schema]
        )
        try await database.write { try $0.run("INSERT INTO kv (key, value) VALUES ('n', x'2a')") }
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    try await database.read { try $0.queryOne("SELECT value FROM kv")?.blob(0).first.map(Int.init) ?? 0 }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(total == 200 * 42)
        await database.close()
    }

    @Test("close waits for queued writes, then refuses reads and writes with a typed error")
    func closeDrainsThenRefuses() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(path: path, migrations: [Self.schema])
            let gate = WriterGate()
            let blocker = Task { try await database.write { _ in gate.enterAndWait() } }
            try await waitUntil("the writer is held") { gate.hasEntered }
            var writes: [Task<Int, any Error>] = []
            for index in 0..<5 {
                writes.append(Task {
                    try await database.write { try $0.run("INSERT INTO kv (key, value) VALUES (?, x'00')", [SQLiteValue("key\(index)")]) }
                })
            }
            try await waitUntil("five writes are queued") { database.statistics.pendingWrites == 5 }
            let closing = Task { await database.close() }
            // close() has begun once new calls are refused.
            try await waitUntil("close has begun") { database.isClosed }
            gate.open()
            await closing.value
            try await blocker.value
            for write in writes {
                #expect(try await write.value == 1)
            }

            await expectSQLiteError(.databaseClosed) { try await database.write { _ in 1 } }
            await expectSQLiteError(.databaseClosed) { try await database.read { _ in 1 } }
            await database.close()  // a second close just returns

            let reopened = try await SQLiteDatabase.open(path: path, migrations: [Self.schema])
            #expect(try await reopened.read { try $0.queryOne("SELECT count(*) FROM kv")?.int(0) } == 5)
            await reopened.close()
        }
    }

    @Test("invalid configurations are refused before anything opens")
    func invalidConfiguration() async throws {
        await expectSQLiteError(.invalidConfiguration) {
            try await SQLiteDatabase.openInMemory(configuration: .init(readerCount: 0))
        }
        await expectSQLiteError(.invalidConfiguration) {
            try await SQLiteDatabase.openInMemory(configuration: .init(maxBatchSize: 0))
        }
    }
}
