import MFACore
import MFAWire

/// The user-facing messages of SPEC 2.3 (default configuration: 3 attempts, 5 minutes).
enum Messages {
    static let invalidCode = "This code is invalid, please try again."
    static let invalidCodeLastAttempt = "Invalid code, your account will be locked after 3 incorrect attempts."
    static let codeExpired = "This code is not valid anymore. Get a new one via email."
    static let locked = "You've reached the maximum amount of attempts. Please try again in 5 min."
    static let lockedUntilSupport =
        "You've reached the maximum amount of attempts. Your account is locked, please contact support."
}

/// The audit kinds whose counts the ledger predicts exactly (per round: every event of a round
/// carries the round's clock time, which does not move while the load runs).
enum CountedKind: String, CaseIterable {
    case codeOK = "code_ok"
    case codeWrong = "code_wrong"
    case locked = "locked"
    case recoveryCodeUsed = "recovery_code_used"
}

/// The answer the server must give to a code, as predicted by the ledger.
enum ExpectedAnswer: Equatable, CustomStringConvertible {
    case invalidCode(attemptsRemaining: UInt32)
    case locked(retryAfter: UInt32, untilSupport: Bool)

    var code: ErrorCode {
        switch self {
        case .invalidCode: .invalidCode
        case .locked: .locked
        }
    }

    var message: String {
        switch self {
        case .invalidCode(let remaining): remaining == 1 ? Messages.invalidCodeLastAttempt : Messages.invalidCode
        case .locked(_, let untilSupport): untilSupport ? Messages.lockedUntilSupport : Messages.locked
        }
    }

    var attemptsRemaining: UInt32 {
        if case .invalidCode(let remaining) = self { return remaining }
        return 0
    }

    var retryAfter: UInt32 {
        if case .locked(let retryAfter, _) = self { return retryAfter }
        return 0
    }

    /// Whether `error` is exactly this answer (code, message, attempts, retry-after).
    func matches(_ error: MFAClientErrorFields) -> Bool {
        error.code == code && error.message == message && error.attemptsRemaining == attemptsRemaining
            && error.retryAfterSeconds == retryAfter
    }

    var description: String {
        "\(code.protoName) attempts=\(attemptsRemaining) retry_after=\(retryAfter) \"\(message)\""
    }
}

/// The fields of a server error that the ledger compares.
struct MFAClientErrorFields {
    let code: ErrorCode?
    let message: String
    let attemptsRemaining: UInt32
    let retryAfterSeconds: UInt32
}

/// An email code the ledger saw acknowledged as used.
struct UsedEmailCode {
    let challengeID: String
    let code: String
    let linkToken: String
    /// The clock time of the round it was used in.
    let usedAt: Int64
}

/// A TOTP code acknowledged as accepted.
struct UsedTOTPCode {
    let step: Int64
    let code: String
    let usedAt: Int64
}

/// A recovery code acknowledged as used.
struct UsedRecoveryCode {
    let code: String
    let usedAt: Int64
}

/// An open login challenge of an account (email: with its code and link).
struct OpenChallenge {
    let id: String
    let code: String
    let linkToken: String
    let issuedAt: Int64
}

/// What a message looked like when `ReadOutbox` reported it queued.
struct QueuedMessage: Equatable {
    let id: UInt64
    let to: String
    let channel: String
    let subject: String
    let code: String
    let linkToken: String

    init(_ message: OutboxMessage) {
        id = message.id
        to = message.to
        channel = message.channel
        subject = message.subject
        code = message.code
        linkToken = message.linkToken
    }
}

/// A call that was sent (or about to be) when mfad was killed: it may or may not have taken effect.
enum PendingCall {
    /// A correct email code, link or TOTP code: maybe a session, a used code and a reset counter.
    case correctCode
    /// A recovery code: like a correct code, and maybe the recovery code is used.
    case recoveryCode(String)
    /// A wrong code: maybe counted (and maybe the lock).
    case wrongCode
    /// A logout: the session may or may not be revoked.
    case logout(String)
    /// A login (maybe a challenge and an email) or a read: nothing the ledger counts.
    case other
}

/// The second factor an account logs in with.
enum Method: String {
    case email
    case totp
}

/// Everything acknowledged about one account: what mfad answered as done, and so must still
/// hold after any crash. Changed only when an answer arrives (or, for ``pending``, when a call is
/// sent), and resolved after each restart.
struct AccountLedger {
    let id: String
    let email: String
    /// E.164, as the server stores it (sign-up sends its SMS code there).
    let phone: String
    let password: String
    let method: Method

    // TOTP
    var totpSecret: [UInt8] = []
    /// The highest time step ever sent as a correct code (acknowledged or not): never sent again.
    var lastAttemptedStep: Int64 = .min
    var usedTOTPCodes: [UsedTOTPCode] = []
    var unusedRecoveryCodes: [String] = []
    var usedRecoveryCodes: [UsedRecoveryCode] = []

    // Wrong-code counter and locks (the ledger's own model of SPEC 2.3, default configuration).
    var consecutiveFailures = 0
    var lockedUntil: Int64?
    var recentLocks: [Int64] = []
    var lockedUntilSupport = false

    // Logins and sessions
    var openChallenge: OpenChallenge?
    var usedEmailCodes: [UsedEmailCode] = []
    var sessions: [String] = []
    var loggedOutSessions: [String] = []
    /// Logins (and other acknowledged calls) that queued an email with a code to this address.
    var codeEmailsAcknowledged = 0
    /// Every message to this account's addresses that `ReadOutbox` reported, by id.
    var messages: [UInt64: QueuedMessage] = [:]

    /// Audit events of the counted kinds at the current round's time.
    var auditCounts: [CountedKind: Int] = [:]
    /// The call in flight when mfad was killed, if any.
    var pending: PendingCall?
    /// Whether ``pending`` was set when the last restart settled it (for the report).
    var pendingWasSet = false

    init(id: String, email: String, phone: String, password: String, method: Method) {
        self.id = id
        self.email = email
        self.phone = phone
        self.password = password
        self.method = method
    }

    static let maxAttempts = 3
    static let lockSeconds: Int64 = 300
    static let locksBeforeEscalation = 3
    static let escalationWindow: Int64 = 86_400

    /// The answer any code gets at `now` while locked; nil when a code would be checked.
    func lockAnswer(now: Int64) -> ExpectedAnswer? {
        if lockedUntilSupport { return .locked(retryAfter: 0, untilSupport: true) }
        if let until = lockedUntil, now < until { return .locked(retryAfter: UInt32(until - now), untilSupport: false) }
        return nil
    }

    func isLocked(now: Int64) -> Bool { lockAnswer(now: now) != nil }

    /// Records a wrong code checked at `now` and returns the answer it must get.
    mutating func recordWrongCode(now: Int64) -> ExpectedAnswer {
        if let answer = lockAnswer(now: now) { return answer }
        if let until = lockedUntil, until <= now { lockedUntil = nil }
        recentLocks = recentLocks.filter { now - $0 < Self.escalationWindow }
        consecutiveFailures += 1
        auditCounts[.codeWrong, default: 0] += 1
        guard consecutiveFailures >= Self.maxAttempts else {
            return .invalidCode(attemptsRemaining: UInt32(Self.maxAttempts - consecutiveFailures))
        }
        consecutiveFailures = 0
        recentLocks.append(now)
        auditCounts[.locked, default: 0] += 1
        if recentLocks.count >= Self.locksBeforeEscalation {
            lockedUntilSupport = true
            lockedUntil = nil
            return .locked(retryAfter: 0, untilSupport: true)
        }
        lockedUntil = now + Self.lockSeconds
        return .locked(retryAfter: UInt32(Self.lockSeconds), untilSupport: false)
    }

    /// Records a correct code (any method).
    mutating func recordSuccess() {
        consecutiveFailures = 0
        auditCounts[.codeOK, default: 0] += 1
    }

    /// Records `UnlockAccount`.
    mutating func recordUnlock() {
        consecutiveFailures = 0
        lockedUntil = nil
        recentLocks = []
        lockedUntilSupport = false
    }

    /// Records every message to this account that a `ReadOutbox` answer listed.
    mutating func recordOutbox(_ outbox: [OutboxMessage]) {
        for message in outbox where message.to == email || message.to == phone {
            messages[message.id] = QueuedMessage(message)
        }
    }
}
