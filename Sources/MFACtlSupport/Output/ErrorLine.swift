/// The one line `mfactl` writes to stderr when a call fails.
public enum ErrorLine {
    /// Formats a failure: `error: CODE: message (2 attempts remaining, retry after 300 s)`.
    /// - Parameters:
    ///   - codeName: the proto name of the server's code (`ERROR_CODE_LOCKED`, shown as `LOCKED`),
    ///     or nil when the failure is not the server's answer (then only the message is shown).
    ///   - message: what went wrong; escaped for the terminal.
    ///   - attemptsRemaining: shown when not 0.
    ///   - retryAfterSeconds: shown when not 0.
    /// - Returns: the line, without a final newline.
    public static func format(codeName: String?, message: String, attemptsRemaining: UInt32 = 0, retryAfterSeconds: UInt32 = 0) -> String {
        var line = "error: "
        if let codeName { line += shortCodeName(codeName) + ": " }
        line += OutputRenderer.escapedForTerminal(message).split(separator: "\n").joined(separator: " ")
        var notes: [String] = []
        if attemptsRemaining != 0 {
            notes.append(attemptsRemaining == 1 ? "1 attempt remaining" : "\(attemptsRemaining) attempts remaining")
        }
        if retryAfterSeconds != 0 { notes.append("retry after \(retryAfterSeconds) s") }
        if !notes.isEmpty { line += " (" + notes.joined(separator: ", ") + ")" }
        return line
    }

    /// `ERROR_CODE_INVALID_CODE` reads `INVALID_CODE`, as the spec names the codes.
    /// - Parameter protoName: an `ErrorCode` value's proto name.
    /// - Returns: the name without the `ERROR_CODE_` prefix.
    public static func shortCodeName(_ protoName: String) -> String {
        let prefix = "ERROR_CODE_"
        return protoName.hasPrefix(prefix) && protoName.count > prefix.count ? String(protoName.dropFirst(prefix.count)) : protoName
    }
}
