import Foundation
import MFACore
import MFACrypto

/// The server's master key (32 bytes), from which the keys for keyed hashes (and, later,
/// encryption at rest) are derived. Sources, in order: `MFAD_MASTER_KEY` (64 hex digits),
/// `--master-key-file` (a file holding 64 hex digits), a key derived from the seed in test mode,
/// or in development (`--dev`) a file beside the database created on first run with mode 0600.
/// Without any of these, startup fails: production never runs on a key it invented.
struct MasterKey {
    let bytes: [UInt8]
    /// Where the key came from, for the startup log (never the key itself).
    let origin: String

    static let byteCount = 32

    static func load(environment: String?, file: String?, testSeed: UInt64?, developmentFile: String?) throws -> MasterKey {
        if let environment {
            return MasterKey(bytes: try decode(environment, source: "MFAD_MASTER_KEY"), origin: "environment MFAD_MASTER_KEY")
        }
        if let file {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            return MasterKey(bytes: try decode(text, source: file), origin: "file \(file)")
        }
        if let testSeed {
            // Test mode only: repeatable, and never a secret.
            let seed = withUnsafeBytes(of: testSeed.bigEndian, Array.init)
            return MasterKey(bytes: HMACSHA256.authenticationCode(key: Array("mfad test mode".utf8), message: seed),
                             origin: "derived from the test-mode seed")
        }
        if let developmentFile {
            if FileManager.default.fileExists(atPath: developmentFile) {
                let text = try String(contentsOfFile: developmentFile, encoding: .utf8)
                return MasterKey(bytes: try decode(text, source: developmentFile), origin: "development file \(developmentFile)")
            }
            let bytes = try SecureRandom.bytes(count: byteCount)
            let hex = bytes.map { String(format: "%02x", $0) }.joined() + "\n"
            guard FileManager.default.createFile(atPath: developmentFile, contents: Data(hex.utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw MasterKeyError("could not create the development key file \(developmentFile)")
            }
            return MasterKey(bytes: bytes, origin: "development file \(developmentFile) (created)")
        }
        throw MasterKeyError("no master key: set MFAD_MASTER_KEY or --master-key-file (64 hex digits), or run with --dev to create one for development")
    }

    /// The HMAC key for keyed hashes of codes, tokens and throttle keys.
    var hashingKey: [UInt8] {
        HMACSHA256.authenticationCode(key: bytes, message: Array("mfad/keyed-hash/v1".utf8))
    }

    /// The AES-256-GCM key for secrets at rest, and its id (recorded in every sealed value).
    var sealingKey: (id: UInt32, key: [UInt8]) {
        let id = HMACSHA256.authenticationCode(key: bytes, message: Array("mfad/key-id/v1".utf8))
            .prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return (id, HMACSHA256.authenticationCode(key: bytes, message: Array("mfad/secret-box/v1".utf8)))
    }

    /// Reads a key file (64 hex digits).
    static func load(file: String) throws -> MasterKey {
        try load(environment: nil, file: file, testSeed: nil, developmentFile: nil)
    }

    private static func decode(_ text: String, source: String) throws -> [UInt8] {
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hex.count == byteCount * 2 else {
            throw MasterKeyError("the master key in \(source) must be \(byteCount * 2) hex digits")
        }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else {
                throw MasterKeyError("the master key in \(source) must be hex digits")
            }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// A master key problem, reported at startup.
struct MasterKeyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
