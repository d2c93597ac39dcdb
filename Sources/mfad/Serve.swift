import ArgumentParser
import Logging
import MFAServer
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

        let dispatcher = SystemDispatcher(version: ServerVersion.current)
        let mfaServer = MFAServer(configuration: server, dispatcher: dispatcher, logger: logger)
        try await mfaServer.start()
        let group = ServiceGroup(
            services: [mfaServer],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
    }
}
