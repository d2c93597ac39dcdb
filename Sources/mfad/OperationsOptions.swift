import ArgumentParser
import Logging
import MFAOperations
import NIOCore

/// The options for running mfad in production: the config file, logging format, the metrics
/// and health endpoint, and the graceful-stop deadline. Used by `mfad serve` as an option group.
struct OperationsOptions: ParsableArguments {
    @Option(help: "Config file: flat TOML, one 'key = value' per setting, keys named like the flags (env MFAD_CONFIG). Flags and MFAD_* variables override it. See docs/operations.md.")
    var config: String?

    @Flag(help: "Print the effective configuration (flag > environment > config file > default; secrets masked) and exit.")
    var printConfig = false

    @Option(help: "Log lines as text or json, one object per line (env MFAD_LOG_FORMAT). Default text.")
    var logFormat: String?

    @Option(help: "Address of the metrics and health endpoint (env MFAD_METRICS_HOST). Default 127.0.0.1.")
    var metricsHost: String?

    @Option(help: "Serve /metrics (Prometheus), /healthz and /readyz over HTTP on this port (env MFAD_METRICS_PORT). Off unless set; 9370 is the customary port.")
    var metricsPort: Int?

    @Option(help: "Seconds a graceful stop (SIGTERM, SIGINT) waits for in-flight requests before closing connections (env MFAD_SHUTDOWN_GRACE). Default 10.")
    var shutdownGrace: Int?

    /// Loads the config file, checks it and every `MFAD_*` variable against the settings of
    /// `mfad serve`, and makes the file the third source of every setting. With
    /// `--print-config`, prints the effective configuration.
    /// - Returns: true when the configuration was printed and the command should exit.
    /// - Throws: `ConfigurationError` naming the key and where its value came from.
    func prepare() throws -> Bool {
        let sources = try Self.loadSources(config: config, keys: ConfigurationKeys.serve)
        if printConfig {
            let origin = sources.file.map { "config file: \($0.path)" } ?? "no config file"
            print(sources.render(header: [
                "mfad effective configuration (flag > environment MFAD_* > config file > default); \(origin)",
            ]), terminator: "")
            return true
        }
        return false
    }

    /// Reads `--config` (or `MFAD_CONFIG`) and checks the file and the environment against `keys`,
    /// then installs the result as ``Setting/sources``.
    /// - Returns: the checked sources.
    /// - Throws: `ConfigurationError`.
    static func loadSources(config: String?, keys: [SettingKey]) throws -> SettingSources {
        let path = config ?? Setting.processEnvironment("MFAD_CONFIG")
        let file = try path.map { try ConfigFile.load(path: $0) }
        let sources = SettingSources(keys: keys, file: file, arguments: Array(CommandLine.arguments.dropFirst()),
                                     environment: Setting.processEnvironment)
        try sources.validate()
        Setting.sources.withLockedValue { $0 = sources }
        return sources
    }

    /// Bootstraps logging (`--log-format`, at `level`) and, with `--metrics-port`, the metrics
    /// system. Call once, first thing.
    /// - Returns: what the operations services need later.
    func bootstrap(level: Logger.Level) throws -> Observability {
        let format = try Setting.resolve(logFormat, env: "MFAD_LOG_FORMAT", default: "text")
        guard format == "text" || format == "json" else { throw ValidationError("--log-format must be text or json") }
        LoggingSystem.bootstrap { label in
            if format == "json" {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let port: Int? = try metricsPort ?? Setting.environment("MFAD_METRICS_PORT").map { raw in
            guard let port = Int(raw) else { throw SettingError(name: "MFAD_METRICS_PORT", value: raw) }
            return port
        }
        if let port, !(0...65535).contains(port) { throw ValidationError("--metrics-port must be between 0 and 65535") }
        let host = try Setting.resolve(metricsHost, env: "MFAD_METRICS_HOST", default: "127.0.0.1")
        return Observability(export: port == nil ? nil : PrometheusExport.bootstrap(), metricsHost: host, metricsPort: port)
    }

    /// `--shutdown-grace` as a NIO time amount.
    func shutdownGracePeriod() throws -> TimeAmount {
        let seconds = try Setting.resolve(shutdownGrace, env: "MFAD_SHUTDOWN_GRACE", default: 10)
        guard (0...3600).contains(seconds) else { throw ValidationError("--shutdown-grace must be between 0 and 3600 seconds") }
        return .seconds(Int64(seconds))
    }
}
