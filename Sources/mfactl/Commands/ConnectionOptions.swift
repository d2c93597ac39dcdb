import ArgumentParser
import MFACtlSupport
import MFAClient
import MFAWire

/// Where the server is (flags, else `MFAD_ADDR` as `host:port`, else 127.0.0.1:7370) and who
/// calls it (`--service` / `MFAD_SERVICE` and `--api-key` / `MFAD_API_KEY`).
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Server address as HOST:PORT (env MFAD_ADDR). Default 127.0.0.1:7370.")
    var server: String?

    @Option(help: "The calling service's name (env MFAD_SERVICE). Needed unless the server runs with --dev.")
    var service: String?

    @Option(help: "The service's API key from 'mfad keys create' (prefer env MFAD_API_KEY: flags show in the process list).")
    var apiKey: String?

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
        if let apiKey = apiKey ?? EnvironmentVariable.value("MFAD_API_KEY") {
            guard let service = service ?? EnvironmentVariable.value("MFAD_SERVICE") else {
                throw ValidationError("an API key needs its service name: --service or MFAD_SERVICE")
            }
            configuration.credentials = MFAClient.Credentials(service: service, apiKey: apiKey)
        }
        return try await MFAClient.connect(host: host, port: port, configuration: configuration)
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
