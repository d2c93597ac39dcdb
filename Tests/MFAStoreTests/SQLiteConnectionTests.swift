import Testing

import MFAStore

@Suite("SQLiteConnection: binding, reading, statement cache")
struct SQLiteConnectionTests {
    private func withConnection<T>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        try await withTemporaryDatabasePath { path in
            let connection = try SQLiteConnection(path: path)
            return try await body(connection)
        }
    }

    @Test("every value type round-trips through bind and read")
    func roundTrips() async throws {
        try await withConnection { connection in
            try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v)")
            let text = "héllo 👋🏽 мир\u{0}after-nul"
            let blob: [UInt8] = [0, 0, 0xFF, 0, 7, 0]
            let values: [SQLiteValue] = [
                .integer(.min), .integer(.max), SQLiteValue(-42 as Int), SQLiteValue(true), SQLiteValue(false),
                .real(3.141592653589793), .real(-0.5), .text(text), .text(""), .blob(blob), .blob([]), .null,
            ]
            for (index, value) in values.enumerated() {
                try connection.run("INSERT INTO t (id, v) VALUES (?, ?)", [SQLiteValue(index), value])
            }
            let rows = try connection.query("SELECT id, v, typeof(v) AS type FROM t ORDER BY id")
            #expect(rows.map(\.values[1]) == values)
            #expect(try rows.map { try $0.string("type") } == [
                "integer", "integer", "integer", "integer", "integer",
                "real", "real", "text", "text", "blob", "blob", "null",
            ])

            #expect(try rows[0].int64("v") == .min)
            #expect(try rows[1].int64(1) == .max)
            #expect(try rows[2].int("v") == -42)
            #expect(try rows[3].bool("v") == true)
            #expect(try rows[4].bool("v") == false)
            #expect(try rows[5].double("v") == 3.141592653589793)
            #expect(try rows[7].string("v") == text)
            #expect(try rows[7].string("v").utf8.count == text.utf8.count)
            #expect(try connection.queryOne("SELECT length(CAST(v AS BLOB)) FROM t WHERE id = 7")?.int(0) == text.utf8.count)
            #expect(try rows[8].string("v") == "")
            #expect(try rows[9].blob("v") == blob)
            #expect(try rows[10].blob("v") == [])
            #expect(try rows[11].optionalBlob("v") == nil)
            #expect(try rows[11].optionalString("v") == nil)
            #expect(try rows[11].optionalInt64("v") == nil)
            #expect(try rows[11].optionalBool("v") == nil)
            #expect(try rows[11].optionalDouble("v") == nil)
            #expect(try rows[11].value("v") == .null)
            #expect(try rows[2].optionalInt("v") == -42)
            // Exact integer widening to Double is the one conversion allowed.
            #expect(try rows[2].double("v") == -42.0)
        }
    }

    @Test("literals and optional initialisers bind the expected storage classes")
    func literalsAndOptionals() async throws {
        try await withConnection { connection in
            let missing: String? = nil
            let present: Int? = 5
            let row = try #require(
                try connection.queryOne(
                    "SELECT typeof(?), typeof(?), typeof(?), typeof(?), typeof(?), typeof(?)",
                    [1, 2.5, "x", true, SQLiteValue(missing), SQLiteValue(present)]
                )
            )
            #expect(row.values == [.text("integer"), .text("real"), .text("text"), .text("integer"), .text("null"), .text("integer")])
        }
    }

    @Test("reading NULL or the wrong type throws a typed error instead of crashing")
    func strictAccessors() async throws {
        try await withConnection { connection in
            let row = try #require(try connection.queryOne("SELECT NULL AS n, 'text' AS s, 7 AS i, 2 AS two, 9007199254740993 AS big"))
            await expectSQLiteError(.unexpectedNull) { try row.int64("n") }
            await expectSQLiteError(.unexpectedNull) { try row.string(0) }
            await expectSQLiteError(.unexpectedNull) { try row.blob("n") }
            await expectSQLiteError(.typeMismatch) { try row.int64("s") }
            await expectSQLiteError(.typeMismatch) { try row.optionalInt64("s") }
            await expectSQLiteError(.typeMismatch) { try row.string("i") }
            await expectSQLiteError(.typeMismatch) { try row.blob("s") }
            await expectSQLiteError(.typeMismatch) { try row.bool("two") }
            await expectSQLiteError(.typeMismatch) { try row.double("big") }  // not exact as a Double
            await expectSQLiteError(.noSuchColumn) { try row.int64("nope") }
            await expectSQLiteError(.noSuchColumn) { try row.int64(5) }
            await expectSQLiteError(.noSuchColumn) { try row.int64(-1) }
            let error = await expectSQLiteError(.unexpectedNull) { try row.int64("n") }
            #expect(error?.message.contains("'n'") == true)
        }
    }

    @Test("the statement cache reuses one statement across different bindings")
    func statementCacheReuse() async throws {
        try await withConnection { connection in
            try connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            for name in ["ann", "bob", "cy"] {
                try connection.run("INSERT INTO users (name) VALUES (?)", [SQLiteValue(name)])
            }
            let sql = "SELECT id, name FROM users WHERE name = ?"
            let first = try connection.query(sql, ["bob"])
            let cachedAfterFirst = connection.cachedStatementCount
            let second = try connection.query(sql, ["cy"])
            let third = try connection.query(sql, ["nobody"])
            #expect(first.count == 1)
            #expect(try first[0].string("name") == "bob")
            #expect(try first[0].int64("id") == 2)
            #expect(second.count == 1)
            #expect(try second[0].string("name") == "cy")
            #expect(try second[0].int64("id") == 3)
            #expect(third.isEmpty)
            #expect(connection.cachedStatementCount == cachedAfterFirst)
        }
    }

    @Test("forEachRow streams rows, and nesting the same SQL does not disturb the outer loop")
    func forEachRowNested() async throws {
        try await withConnection { connection in
            try connection.execute("CREATE TABLE n (v INTEGER NOT NULL)")
            for value in 1...3 {
                try connection.run("INSERT INTO n (v) VALUES (?)", [SQLiteValue(value)])
            }
            let sql = "SELECT v FROM n WHERE v >= ? ORDER BY v"
            var pairs: [[Int64]] = []
            try connection.forEachRow(sql, [1]) { outer in
                let outerValue = try outer.int64("v")
                var inner: [Int64] = []
                try connection.forEachRow(sql, [SQLiteValue(outerValue)]) { row in
                    inner.append(try row.int64(0))
                }
                pairs.append([outerValue] + inner)
            }
            #expect(pairs == [[1, 1, 2, 3], [2, 2, 3], [3, 3]])
            #expect(try connection.queryOne(sql, [2])?.int64("v") == 2)
            #expect(try connection.queryOne(sql, [4]) == nil)
        }
    }

    @Test("run reports changed rows and lastInsertRowID")
    func changesAndRowID() async throws {
        try await withConnection { connection in
            #expect(try connection.run("CREATE TABLE c (id INTEGER PRIMARY KEY, v INTEGER)") == 0)
            #expect(try connection.run("INSERT INTO c (id, v) VALUES (10, 1)") == 1)
            #expect(connection.lastInsertRowID == 10)
            try connection.run("INSERT INTO c (v) VALUES (1), (1)")
            #expect(connection.lastInsertRowID == 12)
            #expect(try connection.run("UPDATE c SET v = 2 WHERE v = ?", [1]) == 3)
            #expect(try connection.run("UPDATE c SET v = 3 WHERE v = ?", [99]) == 0)
            #expect(try connection.run("CREATE INDEX c_v ON c (v)") == 0)
            #expect(try connection.run("DELETE FROM c") == 3)
        }
    }

    @Test("wrong calls and SQLite errors are typed, carry the SQL and never the bound values")
    func errors() async throws {
        try await withConnection { connection in
            try connection.execute("CREATE TABLE s (email TEXT UNIQUE NOT NULL)")
            let insert = "INSERT INTO s (email) VALUES (?)"
            try connection.run(insert, ["secret-value@example.com"])
            let duplicate = await expectSQLiteError(.sqlite) {
                try connection.run(insert, ["secret-value@example.com"])
            }
            #expect(duplicate?.isConstraint == true)
            #expect(duplicate?.isBusy == false)
            #expect(duplicate?.resultCode == 19)
            #expect(duplicate?.extendedResultCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
            #expect(duplicate?.sql == insert)
            #expect(duplicate.map { String(describing: $0).contains("secret-value") } == false)

            await expectSQLiteError(.bindingMismatch) { try connection.run(insert, []) }
            await expectSQLiteError(.bindingMismatch) { try connection.run(insert, ["a", "b"]) }
            await expectSQLiteError(.invalidStatement) { try connection.run("SELECT 1; SELECT 2") }
            await expectSQLiteError(.invalidStatement) { try connection.run("  ") }
            let syntax = await expectSQLiteError(.sqlite) { try connection.run("SELEC 1") }
            #expect(syntax?.resultCode == 1)
            let script = await expectSQLiteError(.sqlite) { try connection.execute("CREATE TABLE s (x)") }
            #expect(script?.message.contains("already exists") == true)
            // A failed statement leaves the cached statement usable.
            try connection.run(insert, ["other@example.com"])
            #expect(try connection.queryOne("SELECT count(*) FROM s")?.int(0) == 2)
        }
    }

    @Test("opening a file in a missing directory fails with SQLite's code and the path")
    func openFailure() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("missing/dir/x.sqlite").path
            let error = await expectSQLiteError(.sqlite) { try SQLiteConnection(path: path) }
            #expect(error?.resultCode == 14)  // SQLITE_CANTOPEN
            #expect(error?.message.contains(path) == true)
        }
    }
}
