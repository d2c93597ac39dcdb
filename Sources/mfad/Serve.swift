import ArgumentParser
import Logging
import MFACore
import MFAServer
import MFAStore
import MFAWire
import NIOCore
import NIOPosix
import ServiceLifecycle

/// `mfad serve`: listens for requests until SIGTERM or SIGINT, then drains and exits 0.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the mfad protocol (the default command).",
        discussion: "Every option also reads an MFAD_* environment variable, e.g. MFAD_PORT."
    )

    @Option(help: "Address to bind (env MFAD_HOST). Default 127.0.0.1.")
    var host: String?

    @Option(help: "TCP port (env MFAD_PORT). Default 7370.")
    var port: Int?

    @Option(help: "SQLite database file, created if missing (env MFAD_DB). Default ./mfa.sqlite.")
    var db: String?

    @Option(help: "Largest request frame in bytes (env MFAD_MAX_FRAME_BYTES). Default 1048576.")
    var maxFrameBytes: Int?

    @Option(help: "Seconds before an idle connection is closed (env MFAD_IDLE_TIMEOUT). Default 300.")
    var idleTimeout: Int?

    @Option(help: "Seconds a started frame may take to arrive (env MFAD_FRAME_TIMEOUT). Default 10.")
    var frameTimeout: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env MFAD_LOG_LEVEL). Default info.")
    var logLevel: String?

    @Flag(help: "Test mode (SPEC 4.3): manual clock from 2026-01-01, seeded randomness, AdvanceClock and ReadOutbox; loopback only.")
    var testMode = false

    @Option(help: "Random seed in test mode. Default 1.")
    var seed: UInt64 = 1

    @Flag(help: "Development mode: creates a master key file beside the database when none is given (env MFAD_DEV=1).")
    var dev = false

    @Option(help: "File holding the 64-hex-digit master key (env MFAD_MASTER_KEY holds the key itself).")
    var masterKeyFile: String?

    @Option(help: "A previous master key file, still accepted for opening secrets during a key rotation.")
    var previousMasterKeyFile: String?

    @Option(help: "Issuer name shown by authenticator apps (env MFAD_ISSUER). Default mfad.")
    var issuer: String?

    @Option(help: "Session lifetime in seconds (env MFAD_SESSION_LIFETIME). Default 43200 (12 h).")
    var sessionLifetime: Int64?

    @Option(help: "Email code validity in seconds (env MFAD_CODE_VALIDITY). Default 1200 (20 min).")
    var codeValidity: Int64?

    @Option(help: "Prefix of the link in emails; the token is appended (env MFAD_LINK_BASE_URL).")
    var linkBaseURL: String?

    @Option(help: "Prefix of the invitation link in emails; the token is appended (env MFAD_INVITE_BASE_URL).")
    var inviteBaseURL: String?

    @Option(help: "Password hashes computed at once (env MFAD_HASH_THREADS). Default 2.")
    var hashThreads: Int?

    func run() async throws {
        let levelName = try Setting.resolve(logLevel, env: "MFAD_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "mfad")

        var server = ServerConfiguration()
        server.host = try Setting.resolve(host, env: "MFAD_HOST", default: server.host)
        server.port = try Setting.resolve(port, env: "MFAD_PORT", default: server.port)
        server.maximumFrameLength = try Setting.resolve(maxFrameBytes, env: "MFAD_MAX_FRAME_BYTES", default: server.maximumFrameLength)
        server.idleTimeout = .seconds(Int64(try Setting.resolve(idleTimeout, env: "MFAD_IDLE_TIMEOUT", default: 300)))
        server.frameTimeout = .seconds(Int64(try Setting.resolve(frameTimeout, env: "MFAD_FRAME_TIMEOUT", default: 10)))
        guard (0...65535).contains(server.port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard server.maximumFrameLength >= 16 else { throw ValidationError("--max-frame-bytes must be at least 16") }

        let testMode = Setting.resolve(self.testMode, env: "MFAD_TEST_MODE")
        let dev = Setting.resolve(self.dev, env: "MFAD_DEV")
        if testMode {
            guard ["127.0.0.1", "::1", "localhost"].contains(server.host) else {
                throw ValidationError("--test-mode binds to loopback only; --host must be 127.0.0.1, ::1 or localhost")
            }
            logger.warning("TEST MODE: manual clock and seeded randomness; never use this for real accounts", metadata: ["seed": "\(seed)"])
        }
        let dbPath = try Setting.resolve(db, env: "MFAD_DB", default: "./mfa.sqlite")
        let key = try MasterKey.load(environment: Setting.environment("MFAD_MASTER_KEY"), file: masterKeyFile,
                                     testSeed: testMode ? seed : nil, developmentFile: dev ? dbPath + ".key" : nil)
        logger.info("master key loaded", metadata: ["from": "\(key.origin)"])

        var rules = MFAConfiguration()
        rules.sessionLifetimeSeconds = try Setting.resolve(sessionLifetime, env: "MFAD_SESSION_LIFETIME", default: rules.sessionLifetimeSeconds)
        rules.emailCodeValiditySeconds = try Setting.resolve(codeValidity, env: "MFAD_CODE_VALIDITY", default: rules.emailCodeValiditySeconds)
        rules.issuer = try Setting.resolve(issuer, env: "MFAD_ISSUER", default: rules.issuer)
        guard !rules.issuer.isEmpty, rules.issuer.utf8.count <= 64 else { throw ValidationError("--issuer must be 1 to 64 bytes") }
        do {
            try rules.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        var composer = MessageComposer()
        composer.linkBaseURL = try Setting.resolve(linkBaseURL, env: "MFAD_LINK_BASE_URL", default: composer.linkBaseURL)
        composer.inviteBaseURL = try Setting.resolve(inviteBaseURL, env: "MFAD_INVITE_BASE_URL", default: composer.inviteBaseURL)
        let threads = try Setting.resolve(hashThreads, env: "MFAD_HASH_THREADS", default: 2)
        guard (1...64).contains(threads) else { throw ValidationError("--hash-threads must be between 1 and 64") }

        let storage = try await SQLiteMFAStorage.open(path: dbPath)
        logger.info("database open", metadata: ["path": "\(dbPath)"])
        var random: any RandomSource = SystemRandomSource()
        var testClock: ManualClock?
        if testMode {
            let state = try await TestModeState.resume(storage: storage, seed: seed)
            random = SeededRandomSource(seed: state.seed)
            testClock = ManualClock(start: state.clockStart)
        }
        let service = try await MFAService(
            storage: storage, clock: testClock ?? SystemClock(), random: random,
            digester: SecretDigester(key: key.hashingKey),
            vault: SecretVault(current: key.sealingKey, previous: try previousMasterKeyFile.map { [try MasterKey.load(file: $0).sealingKey] } ?? []),
            passwords: Argon2PasswordHasher(parameters: rules.passwordHashing, random: random, concurrency: threads),
            configuration: rules, composer: composer, testClock: testClock)
        logger.notice("messages are held in the outbox (no delivery configured); list them with mfactl outbox --db \(dbPath)")

        let uptime: (@Sendable () -> UInt64)? = testClock.map { clock in
            let start = clock.now()
            return { UInt64(max(0, clock.now().seconds(since: start))) }
        }
        let dispatcher = SystemDispatcher(version: ServerVersion.current, testMode: testMode, uptime: uptime,
                                          next: ServiceDispatcher(service: service))
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: EventLoopThreads.count())
        let mfaServer = MFAServer(configuration: server, dispatcher: dispatcher, group: loops, logger: logger)
        try await mfaServer.start()
        let group = ServiceGroup(
            services: [mfaServer],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
        await storage.close()
        try? await loops.shutdownGracefully()
    }
}
