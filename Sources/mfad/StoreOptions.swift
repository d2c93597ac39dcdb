import ArgumentParser
import Logging
import MFACore
import MFAOperations
import NIOCore
import NIOPosix

/// Where the database is and how its master key is found: shared by `mfad serve` and `mfad keys`.
struct StoreOptions: ParsableArguments {
    @Option(help: "The database: a SQLite file, created if missing (PATH or sqlite:PATH), or a shared PostgreSQL database (postgres://USER@HOST:PORT/DB, password from MFAD_DB_PASSWORD) (env MFAD_DB). Default ./mfa.sqlite.")
    var db: String?

    @Option(name: .customLong("db-pool-size"),
            help: "PostgreSQL: connections this node opens, the most transactions it runs at once (env MFAD_DB_POOL_SIZE). Default 8.")
    var dbPoolSizeOption: Int?

    @Flag(help: "Test mode (SPEC 4.3): manual clock from 2026-01-01, seeded randomness, AdvanceClock and ReadOutbox; loopback only (env MFAD_TEST_MODE=1).")
    var testMode = false

    @Option(name: .customLong("seed"), help: "Random seed in test mode (env MFAD_SEED). Default 1.")
    var seedOption: UInt64?

    @Flag(help: "Development mode: no caller authentication, and a master key file created beside the database when none is given (env MFAD_DEV=1). Never in production.")
    var dev = false

    @Option(name: .customLong("master-key-file"),
            help: "File holding the 64-hex-digit master key (env MFAD_MASTER_KEY_FILE; MFAD_MASTER_KEY holds the key itself).")
    var masterKeyFileOption: String?

    @Option(name: .customLong("previous-master-key-file"),
            help: "A previous master key file, still accepted for opening secrets during a key rotation (env MFAD_PREVIOUS_MASTER_KEY_FILE).")
    var previousMasterKeyFileOption: String?

    /// The test-mode seed: flag, environment, config file, 1.
    var seed: UInt64 {
        // Checked at start (SettingSources.validate), so a bad environment value never gets here.
        (try? Setting.resolve(seedOption, env: "MFAD_SEED", default: 1)) ?? 1
    }

    /// The master key file: flag, environment, config file.
    var masterKeyFile: String? { masterKeyFileOption ?? Setting.environment("MFAD_MASTER_KEY_FILE") }

    /// The previous master key file: flag, environment, config file.
    var previousMasterKeyFile: String? { previousMasterKeyFileOption ?? Setting.environment("MFAD_PREVIOUS_MASTER_KEY_FILE") }

    /// The database: flag, environment, config file, default.
    func databaseLocation() throws -> DatabaseLocation {
        try Self.databaseLocation(try Setting.resolve(db, env: "MFAD_DB", default: "./mfa.sqlite"))
    }

    /// A `--db` value read as a location, its problem as a usage error.
    static func databaseLocation(_ value: String) throws -> DatabaseLocation {
        do {
            return try DatabaseLocation(parsing: value)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The PostgreSQL pool size: flag, environment, config file, 8.
    func databasePoolSize() throws -> Int {
        let size = try Setting.resolve(dbPoolSizeOption, env: "MFAD_DB_POOL_SIZE", default: 8)
        guard (1...256).contains(size) else { throw ValidationError("--db-pool-size must be between 1 and 256") }
        return size
    }

    /// Opens the database `--db` names (creating or migrating it as needed).
    func openStorage(eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                     logger: Logger) async throws -> any ServiceStorage {
        try await StorageOpener.open(try databaseLocation(), poolSize: try databasePoolSize(), eventLoopGroup: eventLoopGroup,
                                     logger: logger)
    }

    /// The SQLite file, for commands that work on the file itself.
    /// - Throws: `ValidationError` when `--db` names a PostgreSQL database.
    func databasePath() throws -> String {
        switch try databaseLocation() {
        case .sqlite(let path): return path
        case .postgres: throw ValidationError("this command works on a SQLite file; --db names a PostgreSQL database")
        }
    }

    /// Whether test mode is on (flag or environment).
    var isTestMode: Bool { Setting.resolve(testMode, env: "MFAD_TEST_MODE") }

    /// Whether development mode is on (flag or environment).
    var isDevelopment: Bool { Setting.resolve(dev, env: "MFAD_DEV") }

    /// The master key, from the first source that has one (see `MasterKeySource`).
    func masterKey() throws -> MasterKeySource {
        try MasterKeySource.load(environment: Setting.environment("MFAD_MASTER_KEY"), file: masterKeyFile,
                           testSeed: isTestMode ? seed : nil, developmentFile: isDevelopment ? try developmentKeyFile() : nil)
    }

    /// Where development mode keeps a generated master key: beside a SQLite file, or in the
    /// working directory for PostgreSQL (every node of a shared database needs the same key,
    /// so give them `--master-key-file` outside development).
    private func developmentKeyFile() throws -> String {
        switch try databaseLocation() {
        case .sqlite(let path): return path + ".key"
        case .postgres: return "./mfad-dev-master.key"
        }
    }

    /// The key of `--previous-master-key-file`, if given: accepted for opening the data keys
    /// during a rotation.
    func previousMasterKeys() throws -> [MasterKey] {
        try previousMasterKeyFile.map { [try MasterKeySource.read($0)] } ?? []
    }
}
