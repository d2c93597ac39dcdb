/// A failure the service answers with: a machine-readable code and the message for the caller
/// (SPEC 2.3's words where it gives them), plus the attempt and retry numbers.
public struct MFAError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, one per wire `ErrorCode`.
    public enum Code: Sendable, Hashable {
        case invalidArgument
        case invalidCredentials
        case invalidCode
        case codeExpired
        case locked
        case rateLimited
        case notFound
        case alreadyExists
        case failedPrecondition
        case mfaEnforced
        case invalidSession
        case unauthenticated
        case unimplemented
        case unavailable
    }

    /// What kind of failure.
    public let code: Code
    /// The message for the caller; never holds a secret.
    public let message: String
    /// Wrong codes left before the lock (`INVALID_CODE`), else 0.
    public let attemptsRemaining: Int
    /// Seconds until a retry may succeed (`LOCKED`, `RATE_LIMITED`), else 0.
    public let retryAfterSeconds: Int64
    /// For the server log only (e.g. the storage error behind `unavailable`); never sent.
    public let logDetail: String?

    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: the caller's message.
    ///   - attemptsRemaining: wrong codes left, when relevant.
    ///   - retryAfterSeconds: seconds to wait, when relevant.
    ///   - logDetail: detail for the server log only.
    public init(_ code: Code, _ message: String, attemptsRemaining: Int = 0, retryAfterSeconds: Int64 = 0, logDetail: String? = nil) {
        self.code = code
        self.message = message
        self.attemptsRemaining = attemptsRemaining
        self.retryAfterSeconds = retryAfterSeconds
        self.logDetail = logDetail
    }

    public var description: String { "\(code): \(message)" }

    /// A field failed validation; the message names it.
    public static func invalidArgument(_ message: String) -> MFAError { MFAError(.invalidArgument, message) }

    /// A validation failure from the core rules, naming its field.
    public static func invalid(_ error: ValidationError) -> MFAError {
        MFAError(.invalidArgument, "\(error.field.rawValue): \(error.message)")
    }

    /// Wrong email or password; the same answer for both (no enumeration).
    public static let invalidCredentials = MFAError(.invalidCredentials, "The email or password is incorrect.")

    /// The session token is unknown, expired or revoked.
    public static let invalidSession = MFAError(.invalidSession, "The session is not valid. Please sign in again.")

    /// The storage failed while deciding: the attempt is denied (fail closed).
    public static func unavailable(_ underlying: any Error) -> MFAError {
        MFAError(.unavailable, "The service is temporarily unavailable. Please try again.", logDetail: "\(underlying)")
    }
}
