import ArgumentParser
import MFAClient
import MFACtlSupport

/// How `mfactl` reports a command that failed after its arguments were accepted, and which
/// exit status each kind of failure gets.
enum CommandFailure {
    /// The server answered with an error (or with something that is not a valid answer).
    static let serverError: Int32 = 1
    /// The command line is wrong (bad value, missing password, bad `--server`).
    static let usage: Int32 = 2
    /// The server could not be reached, the connection dropped, or no answer came in time.
    static let connection: Int32 = 3

    /// Writes `error: ...` to stderr and picks the exit status.
    ///
    /// `MFAClientError`s from the server read `error: CODE: message` plus attempts remaining and
    /// retry-after when they are set.
    /// - Parameter error: what a command's `run()` threw.
    /// - Returns: the exit status: ``serverError``, ``usage`` or ``connection``.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as MFAClientError:
            StandardError.writeLine(ErrorLine.format(
                codeName: error.code?.protoName, message: error.message,
                attemptsRemaining: error.attemptsRemaining, retryAfterSeconds: error.retryAfterSeconds))
            if error.isServerError { return serverError }
            if error.isConnectionError || error.isTimeout { return connection }
            return serverError
        case let error as ValidationError:
            StandardError.writeLine(ErrorLine.format(codeName: nil, message: error.message))
            return usage
        default:
            StandardError.writeLine(ErrorLine.format(codeName: nil, message: String(describing: error)))
            return serverError
        }
    }
}
