import Foundation

/// Runs scenarios against fresh servers and writes their exchange files.
public enum Recorder {
    /// Records `scenario` against a fresh `mfad --test-mode --seed 1`.
    /// - Parameter executable: the `mfad` binary (the one beside this program by default).
    public static func record(_ scenario: Scenario, executable: URL? = nil) async throws -> Exchange {
        let server = try await ConformanceServer(executable: executable)
        do {
            let session = try ScenarioSession(server: server, authenticate: scenario.authenticates)
            try await scenario.run(session)
            await server.stop()
            return Exchange(name: scenario.name, summary: scenario.summary, steps: session.steps)
        } catch {
            let log = server.log
            await server.stop()
            throw RecordingFailure(scenario: scenario.name, reason: "\(error)", serverLog: log)
        }
    }

    /// Records every scenario into `directory` (`<name>.exchange`), replacing what is there.
    public static func recordAll(into directory: URL, executable: URL? = nil) async throws -> [Exchange] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var exchanges: [Exchange] = []
        for scenario in Scenario.all {
            let exchange = try await record(scenario, executable: executable)
            try exchange.text.write(to: directory.appendingPathComponent("\(scenario.name).exchange"), atomically: true, encoding: .utf8)
            exchanges.append(exchange)
        }
        return exchanges
    }
}

/// A scenario that could not be recorded.
public struct RecordingFailure: Error, CustomStringConvertible {
    public let scenario: String
    public let reason: String
    public let serverLog: String
    public var description: String { "scenario \(scenario): \(reason)\nserver log (end):\n\(serverLog.suffix(2000))" }
}

/// Reads the exchange files of a directory.
public enum ExchangeDirectory {
    /// Every `*.exchange` file, sorted by name.
    public static func load(_ directory: URL) throws -> [Exchange] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".exchange") }.sorted()
        return try names.map { name in
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            return try Exchange(name: String(name.dropLast(".exchange".count)), text: text)
        }
    }
}
