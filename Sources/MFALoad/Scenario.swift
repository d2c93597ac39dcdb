/// What one operation of `mfa-load` does. Each scenario is a short conversation with the server;
/// the latency recorded for it runs from the operation's (intended) start to its last answer.
public enum Scenario: String, CaseIterable, Sendable, Codable, Comparable {
    /// `Ping` with a 16-byte payload: the protocol's floor.
    case ping
    /// `ValidateSession` of a session made in the set-up phase: a read, no write.
    case validateSession = "validate-session"
    /// `Login` of an account that needs no second factor (a trial-plan account, exempt from
    /// enforcement): one password hash, one write, a session.
    case login
    /// `Login` of an account under enforced email MFA, the code read from the outbox
    /// (`ReadOutbox`, test mode), then `VerifyMfa`: the whole email-code login.
    case loginEmail = "login-email"
    /// `VerifyMfa` with a TOTP code on a challenge made in the set-up phase (see
    /// `TOTPRoundPlanner` for how codes stay fresh).
    case totp
    /// `VerifyMfa` with a wrong code: the lockout path (`INVALID_CODE`, then `LOCKED`).
    case wrongCode = "wrong-code"

    /// The error codes (by proto name) that are the scenario's normal answer, not failures.
    public var expectedErrors: Set<String> {
        switch self {
        case .wrongCode: ["ERROR_CODE_INVALID_CODE", "ERROR_CODE_LOCKED"]
        default: []
        }
    }

    /// Whether the scenario needs `ReadOutbox` or `AdvanceClock`, which only a test-mode server has.
    public var needsTestMode: Bool {
        switch self {
        case .loginEmail, .totp: true
        case .ping, .validateSession, .login, .wrongCode: false
        }
    }

    public static func < (lhs: Scenario, rhs: Scenario) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
