import MFACore

// API keys of calling services.
extension SQLiteMFATransaction {
    func insertAPIKey(_ key: APIKeyRecord) throws {
        try connection.run("INSERT INTO api_keys (id, service, key_digest, created_unix, revoked_unix) VALUES (?, ?, ?, ?, ?)", [
            .text(key.id), .text(key.service), .blob(key.keyDigest), .integer(key.createdAt.unixSeconds),
            SQLiteValue(key.revokedAt?.unixSeconds),
        ])
    }

    func apiKey(digest: [UInt8]) throws -> APIKeyRecord? {
        try connection.queryOne("SELECT id, service, key_digest, created_unix, revoked_unix FROM api_keys WHERE key_digest = ?",
                                [.blob(digest)]).map(Self.apiKey)
    }

    func apiKeys() throws -> [APIKeyRecord] {
        try connection.query("SELECT id, service, key_digest, created_unix, revoked_unix FROM api_keys ORDER BY created_unix, id")
            .map(Self.apiKey)
    }

    func revokeAPIKeys(idOrService: String, at time: Timestamp) throws -> Int {
        try connection.run("UPDATE api_keys SET revoked_unix = ? WHERE (id = ? OR service = ?) AND revoked_unix IS NULL",
                           [.integer(time.unixSeconds), .text(idOrService), .text(idOrService)])
    }

    private static func apiKey(_ row: SQLiteRow) throws -> APIKeyRecord {
        APIKeyRecord(id: try row.string("id"), service: try row.string("service"), keyDigest: try row.blob("key_digest"),
                     createdAt: Timestamp(unixSeconds: try row.int64("created_unix")),
                     revokedAt: try row.optionalInt64("revoked_unix").map(Timestamp.init(unixSeconds:)))
    }
}
