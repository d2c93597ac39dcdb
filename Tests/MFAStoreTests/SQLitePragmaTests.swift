import Foundation
import Testing

import MFAStore

@Suite("Pragmas are set and read back")
struct SQLitePragmaTests {
    @Test("the writer runs WAL, synchronous=FULL and foreign keys; readers are query-only")
    func pragmasReadBack() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(path: path)
            let writerPragmas = try await database.write { connection in
                [
                    try connection.pragma("journal_mode"),
                    try connection.pragma("synchronous"),
                    try connection.pragma("foreign_keys"),
                    try connection.pragma("query_only"),
                ]
            }
            #expect(writerPragmas == [.text("wal"), .integer(2), .integer(1), .integer(0)])
            let readerPragmas = try await database.read { connection in
                [try connection.pragma("journal_mode"), try connection.pragma("query_only")]
            }
            #expect(readerPragmas == [.text("wal"), .integer(1)])
            await database.close()

            // WAL persists in the file itself.
            let connection = try SQLiteConnection(path: path, mode: .readOnly)
            #expect(try connection.pragma("journal_mode") == .text("wal"))
        }
    }

    @Test("a database that cannot take WAL is refused with a typed error")
    func walRefusedInMemory() async throws {
        // ":memory:" opens through the durable path, which insists on WAL and reads it back.
        let error = await expectSQLiteError(.pragmaNotApplied) { try await SQLiteDatabase.open(path: ":memory:") }
        #expect(error?.message.contains("journal_mode") == true)
        #expect(error?.message.contains("'memory'") == true)
    }

    @Test("the in-memory test mode skips WAL but keeps synchronous=FULL and foreign keys")
    func inMemoryMode() async throws {
        let database = try await SQLiteDatabase.openInMemory()
        let pragmas = try await database.write { connection in
            [try connection.pragma("journal_mode"), try connection.pragma("synchronous"), try connection.pragma("foreign_keys")]
        }
        #expect(pragmas[0] != .text("wal"))
        #expect(Array(pragmas[1...]) == [.integer(2), .integer(1)])
        #expect(database.isInMemory)
        await database.close()
    }

    @Test("pragma names are checked before they reach SQL")
    func pragmaNameChecked() async throws {
        let connection = try SQLiteConnection(path: ":memory:")
        await expectSQLiteError(.invalidStatement) { try connection.pragma("user_version; DROP TABLE x") }
        #expect(try connection.pragma("user_version") == .integer(0))
    }

    @Test("a new database file is created readable by its owner only")
    func ownerOnlyFile() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(path: path)
            await database.close()
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let permissions = try #require(attributes[.posixPermissions] as? NSNumber).intValue
            #expect(permissions & 0o077 == 0, "permissions are \(String(permissions, radix: 8))")
        }
    }
}
