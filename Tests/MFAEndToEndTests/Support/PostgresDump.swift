import Foundation

/// `pg_dump` of a database, as an operator's backup would be: what a copy of the database holds.
enum PostgresDump {
    struct Failed: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "pg_dump exited with status \(status)" }
    }

    /// The plain-text dump of the database `url` names (its password included).
    static func text(of url: String) throws -> String {
        let process = Process()
        let candidates = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted().reversed()
            .map { "/usr/lib/postgresql/\($0)/bin/pg_dump" } ?? []
        let executable = candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/pg_dump"
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--dbname=\(url)", "--no-owner"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self)
    }
}
