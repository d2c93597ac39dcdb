import Foundation
import MFAConformance

/// `pg_dump` of a database, as an operator's backup would be: what a copy of the database holds.
enum PostgresDump {
    struct Failed: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "pg_dump exited with status \(status)" }
    }

    /// The plain-text dump of the database `url` names (its password included).
    static func text(of url: String) throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let executable = versions.sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin/pg_dump" }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/pg_dump"
        let result = try MfadProcess.runCommand(["--dbname=\(url)", "--no-owner"], executable: URL(fileURLWithPath: executable))
        guard result.status == 0 else { throw Failed(status: result.status) }
        return result.output
    }
}
