import Foundation
import MFACore
import MFACrypto

/// Finds the master key (``MFACore/MasterKey``), the key-encryption key of the database's data
/// keys. Sources, in order: `MFAD_MASTER_KEY` (64 hex digits), `--master-key-file` (a file holding
/// 64 hex digits), a key derived from the seed in test mode, or in development (`--dev`) a file
/// beside the database created on first run with mode 0600. Without any of these, startup fails:
/// production never runs on a key it invented.
struct MasterKeySource {
    let key: MasterKey
    /// Where the key came from, for the startup log (never the key itself).
    let origin: String

    static func load(environment: String?, file: String?, testSeed: UInt64?, developmentFile: String?) throws -> MasterKeySource {
        if let environment {
            return MasterKeySource(key: try MasterKey(hex: environment, source: "MFAD_MASTER_KEY"), origin: "environment MFAD_MASTER_KEY")
        }
        if let file {
            return MasterKeySource(key: try read(file), origin: "file \(file)")
        }
        if let testSeed {
            return MasterKeySource(key: .testMode(seed: testSeed), origin: "derived from the test-mode seed")
        }
        if let developmentFile {
            if FileManager.default.fileExists(atPath: developmentFile) {
                return MasterKeySource(key: try read(developmentFile), origin: "development file \(developmentFile)")
            }
            let bytes = try SecureRandom.bytes(count: MasterKey.byteCount)
            let hex = bytes.map { String(format: "%02x", $0) }.joined() + "\n"
            guard FileManager.default.createFile(atPath: developmentFile, contents: Data(hex.utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw MasterKeyError("could not create the development key file \(developmentFile)")
            }
            return MasterKeySource(key: try MasterKey(bytes: bytes), origin: "development file \(developmentFile) (created)")
        }
        throw MasterKeyError("no master key: set MFAD_MASTER_KEY or --master-key-file (64 hex digits), or run with --dev to create one for development")
    }

    /// Reads a key file (64 hex digits).
    static func read(_ file: String) throws -> MasterKey {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw MasterKeyError("cannot read the master key file \(file): \(error.localizedDescription)")
        }
        return try MasterKey(hex: text, source: file)
    }
}
