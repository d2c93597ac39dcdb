import ArgumentParser
import MFAClient
import MFAWire

#if canImport(Glibc)
import Glibc
#endif

/// `mfactl`: calls mfad from a shell, for support and scripts.
@main
struct Mfactl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfactl",
        abstract: "Call the mfad service from a shell.",
        subcommands: [PingCommand.self, InfoCommand.self]
    )
}

/// Where the server is: flags, else `MFAD_ADDR` (`host:port`), else 127.0.0.1:7370.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Server address as HOST:PORT (env MFAD_ADDR). Default 127.0.0.1:7370.")
    var server: String?

    @Option(help: "Seconds to wait for each answer.")
    var timeout: Int = 10

    func connect() async throws -> MFAClient {
        let address = server ?? (getenv("MFAD_ADDR").map { String(cString: $0) }) ?? "127.0.0.1:\(ProtocolVersion.defaultPort)"
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ValidationError("--server must look like HOST:PORT, got '\(address)'")
        }
        var configuration = MFAClient.Configuration()
        configuration.callTimeout = .seconds(Int64(timeout))
        return try await MFAClient.connect(host: String(address[..<colon]), port: port, configuration: configuration)
    }
}

struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ping", abstract: "Ping the server and print the round trip.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Pings to send.")
    var count: Int = 1

    func run() async throws {
        let client = try await connection.connect()
        defer { Task { await client.close() } }
        let clock = ContinuousClock()
        for sequence in 1...max(count, 1) {
            let payload = Array("mfactl-\(sequence)".utf8)
            let start = clock.now
            let response = try await client.ping(PingRequest(payload: payload))
            let elapsed = clock.now - start
            guard response.payload == payload else { throw ValidationError("the server echoed different bytes") }
            let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
            print("pong from \(connection.server ?? "server"): seq=\(sequence) time=\(Double(micros) / 1000) ms")
        }
        await client.close()
    }
}

struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Print what the server is.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try await connection.connect()
        let info = try await client.serverInfo()
        await client.close()
        print("version:          \(info.version)")
        print("protocol version: \(info.protocolVersion)")
        print("uptime:           \(info.uptimeSeconds) s")
        print("test mode:        \(info.testMode ? "yes" : "no")")
        print("rpcs:             \(info.rpcs.joined(separator: ", "))")
    }
}
