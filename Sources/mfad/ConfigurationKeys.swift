import MFACore
import MFADelivery
import MFAOperations
import MFAServer

/// Every setting of `mfad serve`: the config file accepts exactly these keys (each also a flag
/// `--KEY` and an environment variable `MFAD_KEY`), and `--print-config` lists them in this order.
/// A new option of `mfad serve` belongs here too (`ConfigurationTests` checks `--help` against
/// this list). docs/operations.md describes each key.
enum ConfigurationKeys {
    static let serve: [SettingKey] = {
        let server = ServerConfiguration()
        let composer = MessageComposer()
        let delivery = DeliveryConfiguration()
        let seconds: ClosedRange<Int64> = 1...Int64(Int32.max)
        return [
            // Listening
            SettingKey("host", .string, default: server.host, "address to bind"),
            SettingKey("port", .integer(0...65535), default: "\(server.port)", "TCP port of the mfad protocol"),
            SettingKey("tls-cert", .string, "PEM certificate chain: serve TLS (needs tls-key)"),
            SettingKey("tls-key", .string, "PEM private key of tls-cert"),
            SettingKey("tls-client-ca", .string, "PEM CA certificates: require client certificates (mutual TLS)"),
            SettingKey("max-frame-bytes", .integer(16...Int64(Int32.max)), default: "\(server.maximumFrameLength)",
                       "largest request frame in bytes"),
            SettingKey("idle-timeout", .integer(seconds), default: "300", "seconds before an idle connection is closed"),
            SettingKey("frame-timeout", .integer(seconds), default: "10", "seconds a started frame may take to arrive"),
            SettingKey("max-connections", .integer(1...Int64(Int32.max)), default: "\(server.maximumConnections)",
                       "most open connections at once"),
            SettingKey("max-in-flight", .integer(1...Int64(Int32.max)), default: "\(server.maximumInFlightPerConnection)",
                       "most requests in flight per connection"),
            // Database and keys
            SettingKey("db", .string, default: "./mfa.sqlite",
                       "SQLite file (PATH or sqlite:PATH, created if missing) or postgres://USER@HOST:PORT/DB"),
            SettingKey("db-password", .string, sources: .environmentOnly, "PostgreSQL password when the db URL has none"),
            SettingKey("db-pool-size", .integer(1...256), default: "8", "PostgreSQL connections (and transactions at once) of this node"),
            SettingKey("master-key-file", .string, "file holding the 64-hex-digit master key"),
            SettingKey("master-key", .string, sources: .environmentOnly, "the master key itself (64 hex digits)"),
            SettingKey("previous-master-key-file", .string, "a previous master key, still accepted during a rotation"),
            SettingKey("test-mode", .boolean, default: "false", "test mode: manual clock, seeded randomness (loopback only)"),
            SettingKey("seed", .integer(0...Int64.max), default: "1", "random seed in test mode"),
            SettingKey("dev", .boolean, default: "false", "development mode: no caller authentication; never in production"),
        ] + RuleOptions.settings.map(\.key) + [
            // Messages
            SettingKey("link-base-url", .string, default: composer.linkBaseURL, "prefix of the link in emails"),
            SettingKey("invite-base-url", .string, default: composer.inviteBaseURL, "prefix of the invitation link in emails"),
            SettingKey("hash-threads", .integer(1...64), default: "2", "password hashes computed at once"),
            // Delivery
            SettingKey("smtp-url", .string, "SMTP server for email: smtp://host:port (STARTTLS when offered) or smtps://host:port"),
            SettingKey("smtp-user", .string, "SMTP AUTH user"),
            SettingKey("smtp-password", .string, sources: .environmentOnly, "SMTP AUTH password"),
            SettingKey("mail-from", .string, "sender of emails, e.g. 'mfad <no-reply@example.com>'"),
            SettingKey("sms-gateway-url", .string, "SMS gateway URL; each SMS is POSTed there as JSON"),
            SettingKey("sms-token", .string, sources: .environmentOnly, "bearer token of the SMS gateway"),
            SettingKey("max-delivery-attempts", .integer(1...100), default: "\(delivery.maxAttempts)",
                       "failed attempts before a message is marked dead"),
            SettingKey("delivery-retry-base", .integer(1...3600), default: "\(delivery.backoff.baseSeconds)",
                       "seconds before the first delivery retry; doubles each time up to an hour"),
            // Operations
            SettingKey("log-level", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), default: "info",
                       "least severe level logged"),
            SettingKey("log-format", .choice(["text", "json"]), default: "text", "text lines, or one JSON object per line"),
            SettingKey("metrics-host", .string, default: "127.0.0.1", "address of the metrics and health endpoint"),
            SettingKey("metrics-port", .integer(0...65535), "port of /metrics, /healthz, /readyz (off when unset)"),
            SettingKey("shutdown-grace", .integer(0...3600), default: "10",
                       "seconds a graceful stop waits for in-flight requests before closing connections"),
        ]
    }()
}
