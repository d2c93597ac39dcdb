/// Every user-facing message of `MFACore`, in one place so that all callers send the same words.
///
/// The first five are the spec's (SPEC 2.3), word for word; numbers follow the configuration.
/// The others are this module's own wording for situations the spec leaves open.
public enum UserMessages {
    /// `INVALID_CODE`, when more than one attempt remains.
    public static let invalidCode = "This code is invalid, please try again."

    /// `INVALID_CODE`, when exactly one attempt remains before the lock.
    /// - Parameter maxAttempts: The configured number of attempts (3 by default).
    /// - Returns: "Invalid code, your account will be locked after 3 incorrect attempts."
    public static func invalidCodeLastAttempt(maxAttempts: Int) -> String {
        "Invalid code, your account will be locked after \(maxAttempts) incorrect attempts."
    }

    /// `CODE_EXPIRED`: the email code or link expired, was replaced by a resend, or was used.
    public static let codeExpired = "This code is not valid anymore. Get a new one via email."

    /// `LOCKED` during a timed lock (the attempt that locks and any attempt while locked).
    /// - Parameter lockSeconds: The configured lock length; shown in minutes, rounded up.
    /// - Returns: "You've reached the maximum amount of attempts. Please try again in 5 min."
    public static func locked(lockSeconds: Int64) -> String {
        "You've reached the maximum amount of attempts. Please try again in \(Durations.minutesRoundedUp(lockSeconds)) min."
    }

    /// `LOCKED` after escalation: only support can unlock.
    public static let lockedUntilSupport =
        "You've reached the maximum amount of attempts. Your account is locked, please contact support."

    /// `RATE_LIMITED` for a resend asked too soon.
    /// - Parameter retryAfterSeconds: Seconds until a resend is allowed.
    /// - Returns: The message.
    public static func resendTooSoon(retryAfterSeconds: Int64) -> String {
        "Please wait \(retryAfterSeconds) seconds before asking for a new code."
    }

    /// `RATE_LIMITED` when the challenge has had all its resends.
    /// - Parameter maxResends: The configured maximum.
    /// - Returns: The message.
    public static func resendLimitReached(maxResends: Int) -> String {
        "You've asked for a new code \(maxResends) times for this login. Please start a new login to get a new code."
    }

    /// Password logins locked by ``PasswordThrottle`` (same answer for known and unknown emails).
    /// - Parameter lockSeconds: The configured lock length; shown in minutes, rounded up.
    /// - Returns: The message.
    public static func passwordLoginsLocked(lockSeconds: Int64) -> String {
        "Too many failed login attempts. Please try again in \(Durations.minutesRoundedUp(lockSeconds)) min."
    }
}
