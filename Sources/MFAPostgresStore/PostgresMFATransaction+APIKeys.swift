import MFACore

// API keys of calling services.
extension PostgresMFATransaction {
    private static let apiKeyColumns = "id, service, key_digest, created_unix, revoked_unix"

    func insertAPIKey(_ key: APIKeyRecord) throws {
        try session.execute("INSERT INTO api_keys (\(Self.apiKeyColumns)) VALUES ($1, $2, $3, $4, $5)", [
            .text(key.id), .text(key.service), .bytes(key.keyDigest), .integer(key.createdAt.unixSeconds),
            PostgresValue(key.revokedAt?.unixSeconds),
        ])
    }

    func apiKey(digest: [UInt8]) throws -> APIKeyRecord? {
        try session.queryOne("SELECT \(Self.apiKeyColumns) FROM api_keys WHERE key_digest = $1", [.bytes(digest)], table: "api_keys")
            .map(Self.apiKey)
    }

    func apiKeys() throws -> [APIKeyRecord] {
        try session.query("SELECT \(Self.apiKeyColumns) FROM api_keys ORDER BY created_unix, id", table: "api_keys").map(Self.apiKey)
    }

    func revokeAPIKeys(idOrService: String, at time: Timestamp) throws -> Int {
        try session.execute("UPDATE api_keys SET revoked_unix = $1 WHERE (id = $2 OR service = $2) AND revoked_unix IS NULL",
                            [.integer(time.unixSeconds), .text(idOrService)])
    }

    private static func apiKey(_ row: PostgresRowReader) throws -> APIKeyRecord {
        APIKeyRecord(id: try row.string("id"), service: try row.string("service"), keyDigest: try row.bytes("key_digest"),
                     createdAt: try row.timestamp("created_unix"), revokedAt: try row.optionalTimestamp("revoked_unix"))
    }
}
