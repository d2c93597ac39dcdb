/// The contact channels verified at sign-up.
public enum ContactChannel: String, Sendable, Hashable, CaseIterable {
    case email
    case sms
}

/// A sign-up verification code sent to the account's email address or phone.
public struct ContactCodeRecord: Sendable, Hashable {
    /// Row id; 0 before insertion.
    public var id: Int64
    public var accountID: String
    public var channel: ContactChannel
    /// HMAC of the account id, channel and normalised code.
    public var digest: [UInt8]
    public var issuedAt: Timestamp
    public var expiresAt: Timestamp
    public var status: EmailCodeRecord.Status

    /// Creates a record; see the properties.
    public init(id: Int64 = 0, accountID: String, channel: ContactChannel, digest: [UInt8], issuedAt: Timestamp,
                expiresAt: Timestamp, status: EmailCodeRecord.Status = .active) {
        self.id = id
        self.accountID = accountID
        self.channel = channel
        self.digest = digest
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.status = status
    }
}

/// An invitation into a workspace (SPEC 3).
public struct InvitationRecord: Sendable, Hashable {
    public var id: String
    /// HMAC of the invitation token.
    public var tokenDigest: [UInt8]
    public var workspace: String
    /// The plan the new account gets (the inviter's).
    public var plan: String
    public var email: String
    public var inviterAccountID: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
    public var acceptedAt: Timestamp?

    /// Creates a record; see the properties.
    public init(id: String, tokenDigest: [UInt8], workspace: String, plan: String, email: String, inviterAccountID: String,
                createdAt: Timestamp, expiresAt: Timestamp, acceptedAt: Timestamp? = nil) {
        self.id = id
        self.tokenDigest = tokenDigest
        self.workspace = workspace
        self.plan = plan
        self.email = email
        self.inviterAccountID = inviterAccountID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
    }
}
