import ArgumentParser
import Logging
import MFACore
import MFADelivery
import MFAServer
import MFAWire
import NIOCore
import NIOPosix
import NIOSSL
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

    @OptionGroup var store: StoreOptions

    @OptionGroup var operations: OperationsOptions

    @Option(help: "Largest request frame in bytes (env MFAD_MAX_FRAME_BYTES). Default 1048576.")
    var maxFrameBytes: Int?

    @Option(help: "Seconds before an idle connection is closed (env MFAD_IDLE_TIMEOUT). Default 300.")
    var idleTimeout: Int?

    @Option(help: "Seconds a started frame may take to arrive (env MFAD_FRAME_TIMEOUT). Default 10.")
    var frameTimeout: Int?

    @Option(help: "Most open connections at once (env MFAD_MAX_CONNECTIONS). Default 10000.")
    var maxConnections: Int?

    @Option(help: "Most requests in flight per connection before reading pauses (env MFAD_MAX_IN_FLIGHT). Default 128.")
    var maxInFlight: Int?

    @Option(help: "PEM certificate chain: serve TLS (env MFAD_TLS_CERT). Needs --tls-key.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert (env MFAD_TLS_KEY).")
    var tlsKey: String?

    @Option(help: "PEM CA certificates: require client certificates signed by them, mutual TLS (env MFAD_TLS_CLIENT_CA).")
    var tlsClientCA: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env MFAD_LOG_LEVEL). Default info.")
    var logLevel: String?

    /// The MFA rules: lockout, throttles, lifetimes, TOTP parameters, the issuer.
    @OptionGroup(title: "MFA rules") var ruleOptions: RuleOptions

    @Option(help: "Prefix of the link in emails; the token is appended (env MFAD_LINK_BASE_URL).")
    var linkBaseURL: String?

    @Option(help: "Prefix of the invitation link in emails; the token is appended (env MFAD_INVITE_BASE_URL).")
    var inviteBaseURL: String?

    @Option(help: "Password hashes computed at once (env MFAD_HASH_THREADS). Default 2.")
    var hashThreads: Int?

    @Option(help: "SMTP server for email: smtp://host:port (STARTTLS when offered) or smtps://host:port (env MFAD_SMTP_URL). Unset: emails stay held in the outbox.")
    var smtpURL: String?

    @Option(help: "SMTP AUTH user (env MFAD_SMTP_USER); the password is read from MFAD_SMTP_PASSWORD only.")
    var smtpUser: String?

    @Option(help: "Sender of emails, e.g. 'mfad <no-reply@example.com>' (env MFAD_MAIL_FROM). Required with --smtp-url.")
    var mailFrom: String?

    @Option(help: "SMS gateway URL; each SMS is POSTed there as JSON (env MFAD_SMS_GATEWAY_URL). The bearer token is read from MFAD_SMS_TOKEN.")
    var smsGatewayURL: String?

    @Option(help: "Failed attempts before a message is marked dead (env MFAD_MAX_DELIVERY_ATTEMPTS). Default 8.")
    var maxDeliveryAttempts: Int?

    @Option(help: "Seconds before the first delivery retry; doubles each time up to an hour (env MFAD_DELIVERY_RETRY_BASE). Default 30.")
    var deliveryRetryBase: Int64?

    func run() async throws {
        if try operations.prepare() { return }  // --print-config
        let levelName = try Setting.resolve(logLevel, env: "MFAD_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        let observability = try operations.bootstrap(level: level)
        let rules = try ruleOptions.configuration()  // before anything opens: a bad rule is a start-up error
        let logger = Logger(label: "mfad")

        var server = ServerConfiguration()
        server.host = try Setting.resolve(host, env: "MFAD_HOST", default: server.host)
        server.port = try Setting.resolve(port, env: "MFAD_PORT", default: server.port)
        server.maximumFrameLength = try Setting.resolve(maxFrameBytes, env: "MFAD_MAX_FRAME_BYTES", default: server.maximumFrameLength)
        server.idleTimeout = .seconds(Int64(try Setting.resolve(idleTimeout, env: "MFAD_IDLE_TIMEOUT", default: 300)))
        server.frameTimeout = .seconds(Int64(try Setting.resolve(frameTimeout, env: "MFAD_FRAME_TIMEOUT", default: 10)))
        server.maximumConnections = try Setting.resolve(maxConnections, env: "MFAD_MAX_CONNECTIONS", default: server.maximumConnections)
        server.maximumInFlightPerConnection = try Setting.resolve(maxInFlight, env: "MFAD_MAX_IN_FLIGHT", default: server.maximumInFlightPerConnection)
        guard server.maximumConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard server.maximumInFlightPerConnection >= 1 else { throw ValidationError("--max-in-flight must be at least 1") }
        guard (0...65535).contains(server.port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard server.maximumFrameLength >= 16 else { throw ValidationError("--max-frame-bytes must be at least 16") }
        server.shutdownGracePeriod = try operations.shutdownGracePeriod()

        server.tls = try ServerTLS.configuration(
            certificate: tlsCert ?? Setting.environment("MFAD_TLS_CERT"), key: tlsKey ?? Setting.environment("MFAD_TLS_KEY"),
            clientCA: tlsClientCA ?? Setting.environment("MFAD_TLS_CLIENT_CA"))
        if server.tls == nil, !["127.0.0.1", "::1", "localhost"].contains(server.host) {
            logger.warning("serving plain TCP on a non-loopback address: API keys and codes cross the network unencrypted; use --tls-cert")
        }
        let testMode = store.isTestMode
        if testMode {
            guard ["127.0.0.1", "::1", "localhost"].contains(server.host) else {
                throw ValidationError("--test-mode binds to loopback only; --host must be 127.0.0.1, ::1 or localhost")
            }
            logger.warning("TEST MODE: manual clock and seeded randomness; never use this for real accounts", metadata: ["seed": "\(store.seed)"])
        }
        if store.isDevelopment {
            server.requireAuthentication = false
            logger.warning("DEVELOPMENT MODE: caller authentication is OFF; every connection is trusted. Never run this in production.")
        }
        let database = try store.databaseLocation()

        var composer = MessageComposer()
        composer.linkBaseURL = try Setting.resolve(linkBaseURL, env: "MFAD_LINK_BASE_URL", default: composer.linkBaseURL)
        composer.inviteBaseURL = try Setting.resolve(inviteBaseURL, env: "MFAD_INVITE_BASE_URL", default: composer.inviteBaseURL)
        let threads = try Setting.resolve(hashThreads, env: "MFAD_HASH_THREADS", default: 2)
        guard (1...64).contains(threads) else { throw ValidationError("--hash-threads must be between 1 and 64") }
        var delivery = DeliveryConfiguration(
            smtpURL: smtpURL ?? Setting.environment("MFAD_SMTP_URL"), smtpUser: smtpUser ?? Setting.environment("MFAD_SMTP_USER"),
            smtpPassword: Setting.environment("MFAD_SMTP_PASSWORD"), mailFrom: mailFrom ?? Setting.environment("MFAD_MAIL_FROM"),
            smsGatewayURL: smsGatewayURL ?? Setting.environment("MFAD_SMS_GATEWAY_URL"), smsToken: Setting.environment("MFAD_SMS_TOKEN"))
        delivery.maxAttempts = try Setting.resolve(maxDeliveryAttempts, env: "MFAD_MAX_DELIVERY_ATTEMPTS", default: delivery.maxAttempts)
        delivery.backoff.baseSeconds = try Setting.resolve(deliveryRetryBase, env: "MFAD_DELIVERY_RETRY_BASE", default: delivery.backoff.baseSeconds)
        let senders: [String: any MessageSender]
        do {
            senders = try delivery.makeSenders()
        } catch {
            throw ValidationError(error.reason)
        }

        // Process-lifetime loops, like NIO's singleton group: never shut down, so requests the
        // grace period cut off (a login still waiting for its hash) are dropped with the process
        // rather than left as promises on a stopped loop. PostgreSQL's connections run on them too,
        // so a request task and its connection share a thread.
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: EventLoopThreads.count())
        let keyed = try await store.openKeyedStorage(eventLoopGroup: loops, logger: logger)
        let storage = keyed.storage
        logger.info("database and data keys open", metadata: [
            "database": "\(storage.displayName)", "master_key": "\(keyed.masterKeyOrigin)",
        ])
        var random: any RandomSource = SystemRandomSource()
        var testClock: ManualClock?
        if testMode {
            let state = try await TestModeState.resume(storage: storage, seed: store.seed)
            random = SeededRandomSource(seed: state.seed)
            testClock = ManualClock(start: state.clockStart)
        }
        let clock: any Clock = testClock ?? SystemClock()
        let digester = keyed.keys.digester
        // Its own randomness: back-off jitter must not consume the seeded stream of test mode.
        let worker = senders.isEmpty ? nil : DeliveryWorker(
            queue: storage, sealer: OutboxSealer(vault: keyed.keys.vault), senders: senders, configuration: delivery, clock: testClock ?? SystemClock(),
            random: SystemRandomSource(), logger: logger)
        var deliveredChannels: Set<ContactChannel> = []
        if delivery.isEmailConfigured { deliveredChannels.insert(.email) }
        if delivery.isSMSConfigured { deliveredChannels.insert(.sms) }
        let wakeWorker: (@Sendable () -> Void)? = worker.map { worker in { @Sendable in worker.poke() } }
        let service = try await MFAService(
            storage: storage, clock: clock, random: random, digester: digester,
            vault: keyed.keys.vault,
            passwords: Argon2PasswordHasher(parameters: rules.passwordHashing, random: random, concurrency: threads,
                                            observeQueueWait: observability.passwordQueueWait),
            configuration: rules, composer: composer, testClock: testClock, deliveredChannels: deliveredChannels,
            onQueued: wakeWorker)
        if delivery.isEmailConfigured {
            logger.info("email delivery configured", metadata: ["smtp_url": "\(delivery.smtpURL ?? "")"])
        } else {
            let listing = if case .sqlite(let path) = database { "mfactl outbox --db \(path)" } else { "SELECT ... FROM outbox" }
            logger.notice("emails are held in the outbox (no --smtp-url); list them with \(listing)")
        }
        if !delivery.isSMSConfigured {
            logger.notice("SMS are held in the outbox (no --sms-gateway-url)")
        }
        if delivery.isSMSConfigured, delivery.smsToken == nil {
            logger.warning("--sms-gateway-url without MFAD_SMS_TOKEN: SMS are posted without an Authorization header")
        }

        let uptime: (@Sendable () -> UInt64)? = testClock.map { clock in
            let start = clock.now()
            return { UInt64(max(0, clock.now().seconds(since: start))) }
        }
        // The test-mode RPCs (AdvanceClock, ReadOutbox) exist only behind --test-mode: without
        // their dispatcher a production server answers them UNIMPLEMENTED (SPEC 4.3).
        let dispatcher = SystemDispatcher(version: ServerVersion.current, testMode: testMode, uptime: uptime,
                                          next: ServiceDispatcher(service: service, clock: clock, apiKeys: APIKeys(
                                              storage: storage, digester: digester, random: random, clock: clock),
                                                                  next: testMode ? TestModeDispatcher(service: service) : nil))
        let mfaServer = MFAServer(configuration: server, dispatcher: InstrumentedDispatcher(next: dispatcher), group: loops,
                                  logger: logger)
        let operationsServices = try await observability.services(storage: storage, server: mfaServer, logger: logger)
        try await mfaServer.start()
        // Graceful shutdown runs in reverse order: the server drains first, then the worker
        // finishes the message it is sending, then the operations endpoint stops.
        let services: [any Service] = operationsServices + (worker.map { [$0] } ?? []) + [mfaServer]
        let group = ServiceGroup(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
        await storage.close()
        logger.info("database closed; exiting")
    }
}
