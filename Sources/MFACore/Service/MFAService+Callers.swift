/// Making, listing and revoking API keys (`mfad keys`), and checking them (`Authenticate`).
public struct APIKeys: Sendable {
    /// Prefix of every key, so a leaked one is recognisable in logs and scanners.
    public static let prefix = "mfak_"

    let storage: any MFAStorage
    let digester: SecretDigester
    let random: any RandomSource
    let clock: any Clock

    /// - Parameters: where keys live, the keyed hash, randomness for new keys, the clock.
    public init(storage: any MFAStorage, digester: SecretDigester, random: any RandomSource, clock: any Clock) {
        self.storage = storage
        self.digester = digester
        self.random = random
        self.clock = clock
    }

    /// Creates a key for `service`.
    /// - Parameter key: a key to import (e.g. from a secret manager); a new random one when nil.
    /// - Returns: the record and the key, which is shown this once.
    public func create(service: String, key: String? = nil) async throws -> (record: APIKeyRecord, key: String) {
        do {
            _ = try Identifier(service, field: .workspace)
        } catch {
            throw MFAError.invalidArgument("service: \(error.message)")
        }
        let secret = key ?? Self.prefix + OpaqueToken.generate(using: random)
        guard secret.utf8.count >= 24, secret.utf8.count <= 256 else {
            throw MFAError.invalidArgument("api_key: 24 to 256 bytes")
        }
        let record = APIKeyRecord(id: OpaqueToken.generate(bytes: OpaqueToken.identifierByteCount, using: random), service: service,
                                  keyDigest: digester.digest(.apiKey, secret), createdAt: clock.now())
        try await storage.write { tx in
            guard try await tx.apiKey(digest: record.keyDigest) == nil else {
                throw MFAError(.alreadyExists, "This key is already registered.")
            }
            try await tx.insertAPIKey(record)
        }
        return (record, secret)
    }

    /// Every key, oldest first (without the keys themselves: only their hashes are stored).
    public func list() async throws -> [APIKeyRecord] {
        try await storage.read { tx in try await tx.apiKeys() }
    }

    /// Revokes the key with this id, or every key of this service.
    /// - Returns: how many keys were revoked.
    public func revoke(_ idOrService: String) async throws -> Int {
        let now = clock.now()
        return try await storage.write { tx in try await tx.revokeAPIKeys(idOrService: idOrService, at: now) }
    }

    /// `Authenticate`: whether `apiKey` is a live key of `service`.
    /// - Returns: the service.
    /// - Throws: `UNAUTHENTICATED` for an unknown, revoked or other service's key (one answer
    ///   for all), `UNAVAILABLE` when storage fails.
    public func authenticate(service: String, apiKey: String) async throws(MFAError) -> String {
        let refused = MFAError(.unauthenticated, "The service name or API key is not valid.")
        guard !service.isEmpty, service.utf8.count <= 64, !apiKey.isEmpty, apiKey.utf8.count <= 256 else { throw refused }
        let digest = digester.digest(.apiKey, apiKey)
        let record: APIKeyRecord?
        do {
            record = try await storage.read { tx in try await tx.apiKey(digest: digest) }
        } catch {
            throw MFAError.unavailable(error)
        }
        guard let record, record.revokedAt == nil, record.service == service else { throw refused }
        return record.service
    }
}
