#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Online backups: a consistent copy of a database file that may be in use by a running mfad.
///
/// `VACUUM INTO` runs on a read-only connection inside one read transaction, so the copy is one
/// committed snapshot (WAL lets it read beside the running writer, which it never blocks). The
/// copy is written to `PATH.partial` (mode 0600: it holds what the database holds), synced, its
/// `PRAGMA integrity_check` read back, and only then linked to `PATH`, which must not exist: a
/// backup never overwrites a file, and a failed one leaves nothing at `PATH`.
public enum SQLiteBackup {
    /// What a backup produced.
    public struct Result: Sendable, Hashable {
        /// Where the copy is.
        public let path: String
        /// Its size in bytes.
        public let bytes: Int64
        /// The highest migration recorded in the copy (0 when it has no `schema_migrations`).
        public let schemaVersion: Int
    }

    /// Copies the database at `source` to `destination`.
    /// - Parameters:
    ///   - source: the database file (mfad may be serving it).
    ///   - destination: the new file; it must not exist, its directory must.
    /// - Returns: the copy's path, size and schema version.
    /// - Throws: ``SQLiteError`` or ``BackupError`` saying what failed; nothing is left at
    ///   `destination` then.
    public static func backup(databaseAt source: String, to destination: String) throws -> Result {
        guard access(destination, F_OK) != 0 else {
            throw BackupError("\(destination) already exists; a backup never overwrites a file: choose a new name")
        }
        let partial = destination + ".partial"
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw BackupError("cannot create \(partial): \(reason) (a backup still running, or a failed one: remove it if no backup runs)")
        }
        close(descriptor)
        // After the link below, this drops the second name; before it, the failed copy.
        defer { unlink(partial) }
        do {
            let connection = try SQLiteConnection(path: source, mode: .readOnly)
            _ = try connection.queryOne("SELECT count(*) FROM sqlite_master")  // fails early for a non-database
            try connection.run("VACUUM INTO ?", [.text(partial)])
        }
        try sync(partial)
        let schemaVersion: Int
        do {
            let copy = try SQLiteConnection(path: partial, mode: .readOnly)
            let check = try copy.query("PRAGMA integrity_check").map { try $0.string(0) }
            guard check == ["ok"] else {
                throw BackupError("the copy fails PRAGMA integrity_check: \(check.prefix(5).joined(separator: "; "))")
            }
            let hasMigrations = try copy.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") != nil
            schemaVersion = hasMigrations ? try copy.queryOne("SELECT coalesce(max(version), 0) FROM schema_migrations")?.int(0) ?? 0 : 0
        }
        guard link(partial, destination) == 0 else {
            throw BackupError("cannot create \(destination): \(String(cString: strerror(errno)))")
        }
        try sync(directoryOf: destination)
        var info = stat()
        let bytes: Int64 = stat(destination, &info) == 0 ? Int64(info.st_size) : 0
        return Result(path: destination, bytes: bytes, schemaVersion: schemaVersion)
    }

    /// fsync of a file, so the copy is on disk before it is named.
    private static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BackupError("cannot open \(path) to sync it: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw BackupError("fsync of \(path) failed: \(String(cString: strerror(errno)))") }
    }

    /// fsync of the directory holding `path`, so its new name survives a crash.
    private static func sync(directoryOf path: String) throws {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        try sync(directory.isEmpty ? "/" : directory)
    }
}

/// A backup that could not be made.
public struct BackupError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
