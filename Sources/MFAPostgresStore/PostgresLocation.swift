import NIOSSL
import PostgresNIO

/// Where a PostgreSQL database is, parsed from a URL:
///
///     postgres://user[:password]@host[:port]/database
///     postgresql://user@[::1]:5433/database
///     postgres://user@/database?host=/run/postgresql          (Unix socket in that directory)
///     postgres://user@%2Frun%2Fpostgresql:5432/database       (the same, percent-encoded)
///
/// User, password, host and database may be percent-encoded. Query parameters: `host` (a host
/// name, or a socket directory when it starts with `/`), `port`, and `sslmode=disable` (TLS is not
/// supported yet, so any other `sslmode` is refused rather than silently ignored).
///
/// The password is kept apart: ``description`` never shows it.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// How to reach the server.
    public enum Endpoint: Sendable, Hashable {
        /// TCP to `host` (a name or an IP address) and `port`.
        case tcp(host: String, port: Int)
        /// The Unix socket `<directory>/.s.PGSQL.<port>`.
        case unixSocket(directory: String, port: Int)
    }

    /// Whether and how the connection is encrypted (`sslmode`, `sslrootcert` in the URL). As with
    /// libpq, it applies to TCP only: a Unix socket never leaves the machine.
    public enum TLSMode: Sendable, Hashable {
        /// Plain TCP (`sslmode=disable`, the default).
        case disable
        /// Encrypted, the server's certificate not checked (`sslmode=require`): stops eavesdroppers, not impostors.
        case require
        /// Encrypted, the certificate checked against `rootCertificate` (a PEM file; the
        /// system's roots when nil) but not its name (`sslmode=verify-ca`).
        case verifyCA(rootCertificate: String?)
        /// Encrypted, the certificate and the host name (or IP address) checked (`sslmode=verify-full`).
        case verifyFull(rootCertificate: String?)
    }

    /// The environment variable read for the password when the URL has none: `MFAD_DB_PASSWORD`.
    public static let passwordEnvironmentVariable = "MFAD_DB_PASSWORD"

    /// How to reach the server.
    public var endpoint: Endpoint
    /// The role to log in as.
    public var username: String
    /// The password from the URL, if it had one.
    public var password: String?
    /// The database name.
    public var database: String
    /// Encryption of TCP connections.
    public var tls: TLSMode

    /// Makes a location from its parts.
    /// - Parameters:
    ///   - endpoint: How to reach the server.
    ///   - username: The role to log in as.
    ///   - password: The password, if any.
    ///   - database: The database name.
    ///   - tls: Encryption of TCP connections (default none).
    public init(endpoint: Endpoint, username: String, password: String?, database: String, tls: TLSMode = .disable) {
        self.tls = tls
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a `postgres://` or `postgresql://` URL.
    /// - Parameter url: The URL (see the type's documentation for the forms).
    /// - Throws: ``PostgresStoreError/invalidURL(reason:)`` naming the part that is wrong; the
    ///   reason never contains the password.
    public init(url: String) throws {
        self = try PostgresURLParser.parse(url)
    }

    /// The same server and credentials, another database.
    /// - Parameter database: The database name.
    /// - Returns: The location of that database.
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// `postgres://user@host:port/database` (or `...@/database?host=/dir&port=n`), without the password.
    public var description: String { url(includingPassword: false) }

    /// The location as a URL that ``init(url:)`` reads back.
    /// - Parameter includingPassword: Whether to put the URL's password in; only for handing the
    ///   URL to a child process (tests), never for logs.
    /// - Returns: The URL, every part percent-encoded where needed.
    public func url(includingPassword: Bool) -> String {
        var userInfo = PostgresURLParser.encode(username)
        if includingPassword, let password {
            userInfo += ":" + PostgresURLParser.encode(password)
        }
        let path = "/" + PostgresURLParser.encode(database)
        switch endpoint {
        case .tcp(let host, let port):
            let hostPart = host.contains(":") ? "[\(host)]" : PostgresURLParser.encode(host)
            return "postgres://\(userInfo)@\(hostPart):\(port)\(path)" + tlsQuery(first: true)
        case .unixSocket(let directory, let port):
            return "postgres://\(userInfo)@\(path)?host=\(PostgresURLParser.encode(directory))&port=\(port)" + tlsQuery(first: false)
        }
    }

    /// `?sslmode=...[&sslrootcert=...]` (or with `&` first), empty for ``TLSMode/disable``.
    private func tlsQuery(first: Bool) -> String {
        let parameters: [(String, String)]
        switch tls {
        case .disable: return ""
        case .require: parameters = [("sslmode", "require")]
        case .verifyCA(let root): parameters = [("sslmode", "verify-ca")] + (root.map { [("sslrootcert", $0)] } ?? [])
        case .verifyFull(let root): parameters = [("sslmode", "verify-full")] + (root.map { [("sslrootcert", $0)] } ?? [])
        }
        return (first ? "?" : "&") + parameters.map { "\($0.0)=\(PostgresURLParser.encode($0.1))" }.joined(separator: "&")
    }

    /// The password to log in with: the URL's, else `fallback`, else `MFAD_DB_PASSWORD` from the
    /// environment, else none (trust or peer authentication).
    /// - Parameter fallback: A password given apart from the URL (e.g. read from a file).
    /// - Returns: The password or nil.
    public func resolvedPassword(fallback: String? = nil) -> String? {
        password ?? fallback ?? PostgresEnvironment.value(Self.passwordEnvironmentVariable)
    }

    /// The TLS setting of a TCP connection, nil for ``TLSMode/disable``. `.require` fails the
    /// connection when the server does not offer TLS (never a silent fall back to plain text).
    /// - Throws: ``PostgresStoreError/invalidURL(reason:)`` when `sslrootcert` cannot be read.
    private func tlsConfiguration() throws -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        let root: String?
        switch tls {
        case .disable:
            return nil
        case .require:
            configuration.certificateVerification = .none
            root = nil
        case .verifyCA(let rootCertificate):
            configuration.certificateVerification = .noHostnameVerification
            root = rootCertificate
        case .verifyFull(let rootCertificate):
            configuration.certificateVerification = .fullVerification
            root = rootCertificate
        }
        if let root {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(root))
            } catch {
                throw PostgresStoreError.invalidURL(reason: "sslrootcert \(root) cannot be used: \(error)")
            }
        }
        return configuration
    }

    /// Bounds on every mfad session, so a stuck statement, a lock held by someone else or a lost
    /// client fails a request (and frees its connection) instead of hanging it: a statement may
    /// run 10 s, wait 5 s for a row lock, and a transaction may sit idle 30 s.
    static let sessionLimits: [(String, String)] = [
        ("statement_timeout", "10s"), ("lock_timeout", "5s"), ("idle_in_transaction_session_timeout", "30s"),
    ]

    /// Every connection's startup parameters: its name in `pg_stat_activity` and the session limits.
    private static let startupParameters = [("application_name", "mfad")] + sessionLimits

    /// How long one connection attempt may take.
    static let connectTimeout: Duration = .seconds(5)

    /// postgres-nio's client (pool) configuration for this location: at most
    /// `maximumConnections` connections, kept while used and closed after a minute idle.
    /// - Throws: ``PostgresStoreError/invalidURL(reason:)`` when `sslrootcert` cannot be read.
    func clientConfiguration(password: String?, maximumConnections: Int) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: username, password: password, database: database,
                                  tls: try tlsConfiguration().map { .require($0) } ?? .disable)
        case .unixSocket(let directory, let port):
            configuration = .init(unixSocketPath: socketPath(directory: directory, port: port), username: username,
                                  password: password, database: database)
        }
        configuration.options.connectTimeout = Self.connectTimeout
        configuration.options.additionalStartupParameters = Self.startupParameters
        configuration.options.maximumConnections = maximumConnections
        return configuration
    }

    /// postgres-nio's configuration of one connection to this location (the same endpoint, TLS
    /// and startup parameters as ``clientConfiguration(password:maximumConnections:)``).
    /// - Throws: ``PostgresStoreError/invalidURL(reason:)`` when `sslrootcert` cannot be read.
    func connectionConfiguration(password: String?) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            if let settings = try tlsConfiguration() {
                do {
                    tls = .require(try NIOSSLContext(configuration: settings))
                } catch {
                    throw PostgresStoreError.invalidURL(reason: "the TLS settings cannot be used: \(error)")
                }
            } else {
                tls = .disable
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .unixSocket(let directory, let port):
            configuration = .init(unixSocketPath: socketPath(directory: directory, port: port), username: username,
                                  password: password, database: database)
        }
        configuration.options.connectTimeout = TimeAmount(Self.connectTimeout)
        configuration.options.additionalStartupParameters = Self.startupParameters
        return configuration
    }

    /// PostgreSQL's socket file in `directory` for `port`.
    private func socketPath(directory: String, port: Int) -> String {
        "\(directory)/.s.PGSQL.\(port)"
    }
}
