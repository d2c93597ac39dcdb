import MFACore

/// Records for the contract tests.
enum Fixtures {
    static let t0 = Timestamp(unixSeconds: 1_700_000_000)

    static func at(_ seconds: Int64) -> Timestamp { t0.adding(seconds: seconds) }

    static func bytes(_ seed: UInt8, count: Int = 32) -> [UInt8] {
        (0..<count).map { seed &+ UInt8(truncatingIfNeeded: $0) }
    }

    static func account(_ id: String = "acct-1", email: String? = nil) -> AccountRecord {
        AccountRecord(id: id, email: email ?? "\(id)@example.com", passwordHash: "$argon2id$hash-\(id)", phone: "+15550100",
                      plan: "pro", workspace: "ws-1", createdAt: t0, passwordChangedAt: t0,
                      emailVerifiedAt: t0, phoneVerifiedAt: nil)
    }

    static func challenge(_ id: String = "ch-1", accountID: String = "acct-1") -> ChallengeRecord {
        ChallengeRecord(id: id, accountID: accountID, createdAt: t0, reason: .newDevice, methods: [.email, .totp],
                        lastSentAt: t0)
    }

    static func emailCode(challengeID: String = "ch-1", seed: UInt8) -> EmailCodeRecord {
        EmailCodeRecord(challengeID: challengeID, codeDigest: bytes(seed), linkDigest: bytes(seed &+ 100),
                        issuedAt: at(Int64(seed)), expiresAt: at(1_200))
    }

    /// An outbox message with the given row id (from `newOutboxID()`) and opaque sealed bytes.
    static func outbox(id: Int64, channel: String = "email", recipient: String = "a@example.com", at seconds: Int64 = 0) -> OutboxRecord {
        OutboxRecord(id: id, createdAt: at(seconds), channel: channel, recipient: recipient, subject: "Your code",
                     sealedContent: bytes(UInt8(truncatingIfNeeded: id)) + [0xA5], state: .queued)
    }

    static func device(_ id: String, accountID: String = "acct-1", seed: UInt8, lastUsed: Int64, expires: Int64 = 10_000) -> TrustedDeviceRecord {
        TrustedDeviceRecord(id: id, accountID: accountID, tokenDigest: bytes(seed), label: "Laptop \(id)", createdAt: t0,
                            lastUsedAt: at(lastUsed), expiresAt: at(expires))
    }

    static func totp(accountID: String = "acct-1", step: Int64 = 0, seed: UInt8 = 7) -> TOTPAuthenticatorRecord {
        TOTPAuthenticatorRecord(accountID: accountID, sealedSecret: bytes(seed, count: 48), algorithm: "SHA1", digits: 6,
                                period: 30, lastUsedStep: step, enabledAt: t0)
    }
}

/// An error of the test's own, to check a body's error comes back unchanged.
struct BodyError: Error, Equatable {
    let reason: String
}
