import MFAClient
import MFAWire
import Testing

/// The user-facing messages of SPEC 2.3, word for word (default configuration: 3 attempts, 5 min).
enum Messages {
    static let invalidCode = "This code is invalid, please try again."
    static let invalidCodeLastAttempt = "Invalid code, your account will be locked after 3 incorrect attempts."
    static let codeExpired = "This code is not valid anymore. Get a new one via email."
    static let locked = "You've reached the maximum amount of attempts. Please try again in 5 min."
    static let lockedUntilSupport =
        "You've reached the maximum amount of attempts. Your account is locked, please contact support."
}

/// Runs `call`, which must throw an `MFAClientError` from the server with `code` and, when given,
/// exactly `message`, `attemptsRemaining` and `retryAfter`.
/// - Returns: the error, or nil (with an Issue recorded) when the call succeeded or threw something else.
@discardableResult
func expectError<T>(
    _ code: ErrorCode,
    _ message: String? = nil,
    attemptsRemaining: UInt32? = nil,
    retryAfter: UInt32? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ call: () async throws -> T
) async -> MFAClientError? {
    do {
        let value = try await call()
        Issue.record("expected \(code.protoName), but the call succeeded: \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as MFAClientError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let message {
            #expect(error.message == message, sourceLocation: sourceLocation)
        }
        if let attemptsRemaining {
            #expect(error.attemptsRemaining == attemptsRemaining, "\(error)", sourceLocation: sourceLocation)
        }
        if let retryAfter {
            #expect(error.retryAfterSeconds == retryAfter, "\(error)", sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("expected \(code.protoName), but got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// `INVALID_CODE` with the SPEC 2.3 message for `attemptsRemaining` (2: first wrong code; 1: last before the lock).
@discardableResult
func expectInvalidCode<T>(
    attemptsRemaining: UInt32,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ call: () async throws -> T
) async -> MFAClientError? {
    let message = attemptsRemaining == 1 ? Messages.invalidCodeLastAttempt : Messages.invalidCode
    return await expectError(.invalidCode, message, attemptsRemaining: attemptsRemaining, retryAfter: 0,
                             sourceLocation: sourceLocation, call)
}

/// The timed `LOCKED` answer: the 5-minute message, no attempts left, `retryAfter` seconds to wait.
@discardableResult
func expectLocked<T>(
    retryAfter: UInt32,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ call: () async throws -> T
) async -> MFAClientError? {
    await expectError(.locked, Messages.locked, attemptsRemaining: 0, retryAfter: retryAfter,
                      sourceLocation: sourceLocation, call)
}

/// The escalated `LOCKED` answer: contact support, no retry time.
@discardableResult
func expectLockedUntilSupport<T>(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ call: () async throws -> T
) async -> MFAClientError? {
    await expectError(.locked, Messages.lockedUntilSupport, attemptsRemaining: 0, retryAfter: 0,
                      sourceLocation: sourceLocation, call)
}

/// `CODE_EXPIRED` with its SPEC 2.3 message.
@discardableResult
func expectCodeExpired<T>(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ call: () async throws -> T
) async -> MFAClientError? {
    await expectError(.codeExpired, Messages.codeExpired, sourceLocation: sourceLocation, call)
}

extension MFAClientError {
    /// This error is exactly the timed `LOCKED` answer with `retryAfter`.
    func isLocked(retryAfter: UInt32) -> Bool {
        code == .locked && message == Messages.locked && retryAfterSeconds == retryAfter && attemptsRemaining == 0
    }
}
