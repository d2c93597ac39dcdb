import Testing

import MFAStore

@Suite("SQLiteMigrator")
struct SQLiteMigratorTests {
    static let v1 = SQLiteMigration(
        version: 1,
        name: "create users",
        sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);"
    )
    static let v2 = SQLiteMigration(
        version: 2,
        name: "create sessions",
        sql: """
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));
            CREATE INDEX sessions_user ON sessions (user_id);
            """
    )
    static let v3 = SQLiteMigration(version: 3, name: "add users.locked", sql: "ALTER TABLE users ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;")

    private func tables(_ connection: SQLiteConnection) throws -> [String] {
        try connection.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .map { try $0.string(0) }
    }

    private func withConnection<T>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        try await withTemporaryDatabasePath { path in
            let connection = try SQLiteConnection(path: path)
            return try await body(connection)
        }
    }

    @Test("a fresh database gets every migration, recorded with name and time")
    func freshApply() async throws {
        try await withConnection { connection in
            let migrator = try SQLiteMigrator(migrations: [Self.v1, Self.v2])
            let applied = try migrator.migrate(connection)
            #expect(applied.map(\.version) == [1, 2])
            #expect(try tables(connection) == ["schema_migrations", "sessions", "sessions_user", "users"])
            let records = try migrator.appliedMigrations(connection)
            #expect(records.map(\.version) == [1, 2])
            #expect(records.map(\.name) == ["create users", "create sessions"])
            #expect(records.allSatisfy { $0.appliedUnix > 1_700_000_000 })
            #expect(connection.isInTransaction == false)
        }
    }

    @Test("running again is a no-op, and a longer list applies only the new migration")
    func rerunAndUpgrade() async throws {
        try await withConnection { connection in
            try SQLiteMigrator(migrations: [Self.v1, Self.v2]).migrate(connection)
            try connection.run("INSERT INTO users (email) VALUES (?)", ["a@example.com"])
            #expect(try SQLiteMigrator(migrations: [Self.v1, Self.v2]).migrate(connection).isEmpty)
            let upgraded = try SQLiteMigrator(migrations: [Self.v1, Self.v2, Self.v3]).migrate(connection)
            #expect(upgraded.map(\.version) == [3])
            #expect(try connection.queryOne("SELECT email, locked FROM users")?.int("locked") == 0)
            #expect(try connection.queryOne("SELECT count(*) FROM schema_migrations")?.int(0) == 3)
        }
    }

    @Test("a database migrated past the newest known version is refused (downgrade protection)")
    func newerDatabaseRefused() async throws {
        try await withConnection { connection in
            try SQLiteMigrator(migrations: [Self.v1, Self.v2, Self.v3]).migrate(connection)
            let error = await expectSQLiteError(.migrationRefused) {
                try SQLiteMigrator(migrations: [Self.v1, Self.v2]).migrate(connection)
            }
            #expect(error?.message.contains("schema version 3") == true)
            #expect(try connection.queryOne("SELECT count(*) FROM schema_migrations")?.int(0) == 3)
        }
    }

    @Test("a migration renamed since it was applied is refused")
    func renamedRefused() async throws {
        try await withConnection { connection in
            try SQLiteMigrator(migrations: [Self.v1]).migrate(connection)
            let renamed = SQLiteMigration(version: 1, name: "create accounts", sql: Self.v1.sql)
            let error = await expectSQLiteError(.migrationRefused) {
                try SQLiteMigrator(migrations: [renamed, Self.v2]).migrate(connection)
            }
            #expect(error?.message.contains("'create users'") == true)
            #expect(error?.message.contains("'create accounts'") == true)
            // Nothing of v2 was applied either.
            #expect(try tables(connection) == ["schema_migrations", "users"])
        }
    }

    @Test("a migration slipped in below an applied one, or a removed one, is refused")
    func outOfOrderRefused() async throws {
        try await withConnection { connection in
            try SQLiteMigrator(migrations: [Self.v1, Self.v3]).migrate(connection)
            await expectSQLiteError(.migrationRefused) {
                try SQLiteMigrator(migrations: [Self.v1, Self.v2, Self.v3]).migrate(connection)
            }
            await expectSQLiteError(.migrationRefused) {
                try SQLiteMigrator(migrations: [Self.v3]).migrate(connection)
            }
            #expect(try tables(connection) == ["schema_migrations", "users"])
        }
    }

    @Test("a failing migration leaves no partial schema and no record")
    func failingMigrationRollsBack() async throws {
        try await withConnection { connection throws in
            let broken = SQLiteMigration(
                version: 2,
                name: "broken",
                sql: """
                    CREATE TABLE half (id INTEGER PRIMARY KEY);
                    INSERT INTO users (email) VALUES ('x@example.com');
                    CREATE TABLE oops (;
                    """
            )
            let error = await expectSQLiteError(.migrationFailed) {
                try SQLiteMigrator(migrations: [Self.v1, broken]).migrate(connection)
            }
            #expect(error?.message.contains("migration 2 'broken'") == true)
            #expect(try tables(connection) == ["schema_migrations", "users"])
            #expect(try connection.queryOne("SELECT count(*) FROM users")?.int(0) == 0)
            #expect(try SQLiteMigrator(migrations: [Self.v1]).appliedMigrations(connection).map(\.version) == [1])
            #expect(connection.isInTransaction == false)
            // Fixed, it applies.
            #expect(try SQLiteMigrator(migrations: [Self.v1, Self.v2]).migrate(connection).map(\.version) == [2])
        }
    }

    @Test("malformed migration lists are rejected before touching the database")
    func invalidLists() async throws {
        await expectSQLiteError(.invalidMigrations) { try SQLiteMigrator(migrations: [Self.v2, Self.v1]) }
        await expectSQLiteError(.invalidMigrations) { try SQLiteMigrator(migrations: [Self.v1, Self.v1]) }
        await expectSQLiteError(.invalidMigrations) {
            try SQLiteMigrator(migrations: [SQLiteMigration(version: 0, name: "zero", sql: "")])
        }
        await expectSQLiteError(.invalidMigrations) {
            try SQLiteMigrator(migrations: [SQLiteMigration(version: 1, name: " ", sql: "")])
        }
    }

    @Test("SQLiteDatabase.open applies migrations and refuses a newer database")
    func throughDatabase() async throws {
        try await withTemporaryDatabasePath { path in
            let database = try await SQLiteDatabase.open(path: path, migrations: [Self.v1, Self.v2, Self.v3])
            #expect(try await database.read { try $0.query("SELECT version FROM schema_migrations").map { try $0.int(0) } } == [1, 2, 3])
            await database.close()
            await expectSQLiteError(.migrationRefused) {
                try await SQLiteDatabase.open(path: path, migrations: [Self.v1])
            }
        }
    }
}
