import ArgumentParser

/// Where the database is and how its master key is found: shared by `mfad serve` and `mfad keys`.
struct StoreOptions: ParsableArguments {
    @Option(help: "SQLite database file, created if missing (env MFAD_DB). Default ./mfa.sqlite.")
    var db: String?

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

    /// The database path: flag, environment, default.
    func databasePath() throws -> String {
        try Setting.resolve(db, env: "MFAD_DB", default: "./mfa.sqlite")
    }

    /// Whether test mode is on (flag or environment).
    var isTestMode: Bool { Setting.resolve(testMode, env: "MFAD_TEST_MODE") }

    /// Whether development mode is on (flag or environment).
    var isDevelopment: Bool { Setting.resolve(dev, env: "MFAD_DEV") }

    /// The master key, from the first source that has one (see `MasterKey`).
    func masterKey() throws -> MasterKey {
        try MasterKey.load(environment: Setting.environment("MFAD_MASTER_KEY"), file: masterKeyFile,
                           testSeed: isTestMode ? seed : nil, developmentFile: isDevelopment ? try databasePath() + ".key" : nil)
    }

    /// The sealing keys of `--previous-master-key-file`, if given.
    func previousSealingKeys() throws -> [(id: UInt32, key: [UInt8])] {
        try previousMasterKeyFile.map { [try MasterKey.load(file: $0).sealingKey] } ?? []
    }
}
