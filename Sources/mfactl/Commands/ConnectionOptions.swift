import ArgumentParser
import MFACtlSupport
import MFAClient
import MFAWire
import NIOSSL

/// Where the server is (flags, else `MFAD_ADDR` as `host:port`, else 127.0.0.1:7370) and who
/// calls it (`--service` / `MFAD_SERVICE` and `--api-key` / `MFAD_API_KEY`).
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Server address as HOST:PORT (env MFAD_ADDR). Default 127.0.0.1:7370.")
    var server: String?

    @Option(help: "The calling service's name (env MFAD_SERVICE). Needed unless the server runs with --dev.")
    var service: String?

    @Option(help: "The service's API key from 'mfad keys create' (prefer env MFAD_API_KEY: flags show in the process list).")
    var apiKey: String?

    @Flag(help: "Connect with TLS, trusting the system's CA certificates (env MFAD_TLS=1).")
    var tls = false

    @Option(help: "Connect with TLS, trusting this PEM CA file (env MFAD_TLS_CA).")
    var tlsCA: String?

    @Option(help: "PEM client certificate for mutual TLS (env MFAD_TLS_CERT); needs --tls-key.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert (env MFAD_TLS_KEY).")
    var tlsKey: String?

    @Option(help: "Seconds to wait for each answer.")
    var timeout: Int = 10

    /// The address to use: `--server`, else `MFAD_ADDR`, else the default.
    var address: String {
        server ?? EnvironmentVariable.value("MFAD_ADDR") ?? "127.0.0.1:\(ProtocolVersion.defaultPort)"
    }

    mutating func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be at least 1 second, got \(timeout)") }
    }

    /// Opens a connection.
    /// - Returns: a connected client; the caller closes it.
    /// - Throws: `ValidationError` for an address that is not `HOST:PORT`; `MFAClientError` when
    ///   the connection cannot be opened.
    func connect() async throws -> MFAClient {
        let address = address
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (1...65_535).contains(port), colon != address.startIndex else {
            throw ValidationError("--server (or MFAD_ADDR) must look like HOST:PORT, got '\(address)'")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }  // [::1]:7370
        var configuration = MFAClient.Configuration()
        configuration.callTimeout = .seconds(Int64(timeout))
        configuration.tls = try tlsConfiguration()
        do {
            configuration.credentials = try MFAClient.Credentials.fromCommandLine(
                service: service, apiKey: apiKey, environment: EnvironmentVariable.value)
        } catch {
            throw ValidationError(error.description)
        }
        return try await MFAClient.connect(host: host, port: port, configuration: configuration)
    }

    /// The TLS settings the flags and environment ask for; nil for plain TCP.
    private func tlsConfiguration() throws -> TLSConfiguration? {
        let ca = tlsCA ?? EnvironmentVariable.value("MFAD_TLS_CA")
        let certificate = tlsCert ?? EnvironmentVariable.value("MFAD_TLS_CERT")
        let key = tlsKey ?? EnvironmentVariable.value("MFAD_TLS_KEY")
        guard tls || EnvironmentVariable.value("MFAD_TLS") == "1" || ca != nil || certificate != nil else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let ca {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
        }
        if let certificate {
            guard let key else { throw ValidationError("--tls-cert needs --tls-key") }
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        return configuration
    }

    /// Connects, makes one or more calls, and closes the connection whatever happens.
    /// - Parameter body: the calls to make.
    /// - Returns: what `body` returns.
    /// - Throws: what `connect()` or `body` throws (`MFAClientError` for failed calls).
    func withClient<Result>(_ body: (MFAClient) async throws -> Result) async throws -> Result {
        let client = try await connect()
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }
}
