/// An API key of a calling service (SPEC 4), stored as the keyed hash of the key.
public struct APIKeyRecord: Sendable, Hashable {
    /// Opaque random id, for listing and revoking.
    public var id: String
    /// The service the key belongs to, e.g. `portal`.
    public var service: String
    public var keyDigest: [UInt8]
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?

    /// Creates a record; see the properties.
    public init(id: String, service: String, keyDigest: [UInt8], createdAt: Timestamp, revokedAt: Timestamp? = nil) {
        self.id = id
        self.service = service
        self.keyDigest = keyDigest
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
