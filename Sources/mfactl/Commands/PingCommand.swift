import ArgumentParser
import MFAClient
import MFACtlSupport
import MFAWire

/// `mfactl ping`: Ping, timed.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Ping the server and print the round trip (Ping).",
        discussion: """
            Prints one line per ping with its round trip; with --json, one object at the end: \
            the address and every round trip in microseconds.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Pings to send.")
    var count: Int = 1

    func run() async throws {
        let address = connection.address
        let roundTrips: [UInt64] = try await connection.withClient { client in
            let clock = ContinuousClock()
            var roundTrips: [UInt64] = []
            for sequence in 1...max(count, 1) {
                let payload = Array("mfactl-\(sequence)".utf8)
                let start = clock.now
                let response = try await client.ping(PingRequest(payload: payload))
                let elapsed = clock.now - start
                guard response.payload == payload else { throw MFAClientError.invalidResponse("the server echoed different bytes") }
                let micros = UInt64(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)
                roundTrips.append(micros)
                if !output.json { print("pong from \(address): seq=\(sequence) time=\(Double(micros) / 1000) ms") }
            }
            return roundTrips
        }
        if output.json {
            output.emit(["server": .string(address), "round_trip_microseconds": .list(roundTrips.map { .unsigned($0) })])
        }
    }
}
