#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An SQLite database shared by the whole service: one writer connection doing group commit on a
/// dedicated thread, and read-only reader connections, one per thread that reads (``SQLiteReaders``:
/// a read on an event loop runs on that loop's own connection, without a thread hop).
///
/// Writes (``write(_:)``) are queued; the writer takes everything queued (up to
/// ``Configuration/maxBatchSize``), runs it in one `BEGIN IMMEDIATE` transaction with each job in
/// its own savepoint, commits once (`synchronous=FULL`, so one fsync for the batch), and only then
/// answers the callers. A job that throws has only its own changes rolled back; each job sees the
/// effects of the jobs before it. If the transaction cannot be committed every job of the batch
/// gets the error: what is reported done is durable.
///
/// Reads (``read(_:)``) run in a read transaction (one consistent snapshot) on a reader connection
/// opened read-only with `query_only=ON`; they see every committed write and can never write.
///
/// The closures run on the database's threads, not on the caller's task: keep them short and
/// synchronous, never keep the connection they are lent, and do not call back into the database
/// from inside them. Once queued, a job runs even if the calling task is cancelled.
public final class SQLiteDatabase: Sendable {
    /// Where the database lives: a file path, or the URI of the in-memory test database.
    public let path: String
    /// The configuration it was opened with.
    public let configuration: Configuration
    /// True for ``openInMemory(configuration:migrations:)`` databases (no WAL, nothing durable).
    public let isInMemory: Bool

    private let writer: SQLiteWriter
    private let readers: SQLiteReaders

    private init(path: String, configuration: Configuration, isInMemory: Bool, writer: SQLiteWriter, readers: SQLiteReaders) {
        self.path = path
        self.configuration = configuration
        self.isInMemory = isInMemory
        self.writer = writer
        self.readers = readers
    }

    deinit {
        // Not closed explicitly: let the writer finish what is queued and close its connection,
        // and the readers close theirs.
        writer.requestClose()
        let readers = self.readers
        Task { await readers.close() }
    }

    // MARK: - Opening and closing

    /// Opens (creating it if missing, with permissions 0600 since it holds secrets) a database
    /// file, sets `journal_mode=WAL`, `synchronous=FULL` and `foreign_keys=ON` on the writer and
    /// reads each back, applies `migrations`, then opens the reader connections.
    /// - Parameters:
    ///   - path: The database file; its directory must exist.
    ///   - configuration: Reader count, batch cap, busy timeout.
    ///   - migrations: The schema migrations, in ascending version order (see ``SQLiteMigrator``).
    /// - Returns: The open database.
    /// - Throws: ``SQLiteError``: `invalidConfiguration`, `invalidMigrations`, `pragmaNotApplied`,
    ///   `migrationRefused`, `migrationFailed`, or SQLite's error when the file cannot be opened.
    public static func open(
        path: String,
        configuration: Configuration = Configuration(),
        migrations: [SQLiteMigration] = []
    ) async throws -> SQLiteDatabase {
        try configuration.validate()
        let migrator = try SQLiteMigrator(migrations: migrations)
        createOwnerOnlyFileIfMissing(path)
        return try await open(
            path: path,
            isInMemory: false,
            configuration: configuration,
            migrator: migrator
        )
    }

    /// Opens a fresh, private in-memory database for tests. It runs exactly the code path of
    /// ``open(path:configuration:migrations:)`` (writer thread, group commit, reader connections,
    /// pragmas read back, migrations) except WAL, which SQLite cannot use in memory; nothing is
    /// durable, and the data is gone once the database is closed.
    /// - Parameters:
    ///   - configuration: Reader count, batch cap, busy timeout.
    ///   - migrations: The schema migrations, in ascending version order.
    /// - Returns: The open database.
    /// - Throws: ``SQLiteError``, as ``open(path:configuration:migrations:)``.
    public static func openInMemory(
        configuration: Configuration = Configuration(),
        migrations: [SQLiteMigration] = []
    ) async throws -> SQLiteDatabase {
        try configuration.validate()
        let migrator = try SQLiteMigrator(migrations: migrations)
        // The memdb VFS shares a database among the connections of this process that use the same
        // name starting with "/"; a random name keeps each test database private.
        let uri = "file:/mfad-memory-\(UInt64.random(in: .min ... .max))?vfs=memdb"
        return try await open(path: uri, isInMemory: true, configuration: configuration, migrator: migrator)
    }

    private static func open(
        path: String,
        isInMemory: Bool,
        configuration: Configuration,
        migrator: SQLiteMigrator
    ) async throws -> SQLiteDatabase {
        let writer = try await SQLiteWriter.start(
            maxBatchSize: configuration.maxBatchSize
        ) {
            let connection = try SQLiteConnection(
                path: path,
                mode: .readWriteCreate,
                busyTimeout: configuration.busyTimeout,
                statementCacheCapacity: configuration.statementCacheCapacity,
                isURI: isInMemory
            )
            try connection.applyWriterPragmas(useWAL: !isInMemory)
            try migrator.migrate(connection)
            return connection
        }
        let readers: SQLiteReaders
        do {
            readers = try await SQLiteReaders.start(count: configuration.readerCount) {
                let connection = try SQLiteConnection(
                    path: path,
                    mode: .readOnly,
                    busyTimeout: configuration.busyTimeout,
                    statementCacheCapacity: configuration.statementCacheCapacity,
                    isURI: isInMemory
                )
                try connection.applyReaderPragmas()
                return connection
            }
        } catch {
            writer.requestClose()
            await writer.waitUntilFinished()
            throw error
        }
        return SQLiteDatabase(
            path: path,
            configuration: configuration,
            isInMemory: isInMemory,
            writer: writer,
            readers: readers
        )
    }

    /// Creates an empty file readable and writable by its owner only, when none exists. SQLite
    /// gives its `-wal` and `-shm` files the same permissions. Errors are left for SQLite's open to
    /// report.
    private static func createOwnerOnlyFileIfMissing(_ path: String) {
        // SQLite's special names (":memory:", "" for a temporary database) are not files.
        guard !path.isEmpty, path != ":memory:" else {
            return
        }
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
        }
    }

    /// Stops accepting reads and writes, waits until every queued job has run and been answered,
    /// then closes the connections. Calls made after `close` began throw
    /// ``SQLiteError/Kind/databaseClosed``. Calling it again just waits.
    public func close() async {
        writer.requestClose()
        await writer.waitUntilFinished()
        await readers.close()
    }

    /// True once ``close()`` has begun: reads and writes are refused from then on.
    public var isClosed: Bool {
        writer.isClosed
    }

    // MARK: - Writing and reading

    /// Runs `body` on the writer connection inside the next group-commit batch, and returns its
    /// result once that batch is durably committed.
    ///
    /// `body` runs inside `BEGIN IMMEDIATE` and its own `SAVEPOINT`: it must not begin, commit or
    /// roll back transactions itself (that fails the whole batch). If it throws, only its changes
    /// are rolled back and the error is rethrown to this caller, once the batch has committed.
    /// - Parameters:
    ///   - body: The write, run on the writer thread (it must not suspend on anything but this
    ///     connection, which never suspends); it sees the effects of the jobs before it in the batch.
    /// - Returns: What `body` returned, after the commit.
    /// - Throws: What `body` threw; or, when the batch could not commit, the ``SQLiteError`` that
    ///   failed it (fail closed: the write is then not done); or `databaseClosed`.
    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = SQLiteWriteJob(
                run: { connection in
                    do {
                        let value = try await body(connection)
                        return SQLiteWriteJob.Outcome(error: nil) { batchError in
                            if let batchError {
                                continuation.resume(throwing: batchError)
                            } else {
                                continuation.resume(returning: value)
                            }
                        }
                    } catch {
                        return SQLiteWriteJob.Outcome(error: error) { batchError in
                            continuation.resume(throwing: batchError ?? error)
                        }
                    }
                },
                fail: { error in
                    continuation.resume(throwing: error)
                }
            )
            if !writer.enqueue(job) {
                continuation.resume(throwing: SQLiteError.databaseClosed("write"))
            }
        }
    }

    /// Runs `body` on a reader connection inside a read transaction, so every query in it sees the
    /// same committed snapshot. Reader connections are read-only (`query_only=ON`): any write
    /// throws an ``SQLiteError`` with ``SQLiteError/isReadOnly`` set.
    /// - Parameters:
    ///   - body: The reads, run on this event loop's reader connection, or on a reader loop's.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, an ``SQLiteError`` from starting or ending the read
    ///   transaction, or `databaseClosed`.
    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await readers.read { connection in try await Self.runRead(body, on: connection) }
    }

    private static func runRead<T>(_ body: (SQLiteConnection) async throws -> T, on connection: SQLiteConnection) async throws -> T {
        try connection.run("BEGIN DEFERRED")
        do {
            let value = try await body(connection)
            if connection.isInTransaction {
                try connection.run("COMMIT")
            }
            return value
        } catch {
            // Never leave a reader inside a transaction: it would pin an old snapshot and stop
            // WAL checkpoints from completing.
            if connection.isInTransaction {
                _ = try? connection.run("ROLLBACK")
            }
            throw error
        }
    }

    // MARK: - Statistics

    /// The group-commit counters and queue depths at this moment.
    public var statistics: Statistics {
        var statistics = writer.currentStatistics
        statistics.pendingReads = readers.pendingJobs
        return statistics
    }
}
