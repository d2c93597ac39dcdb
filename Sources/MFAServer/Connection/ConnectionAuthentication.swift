import MFAWire

/// Who a connection is (SPEC 4): every call but `Authenticate` is refused `UNAUTHENTICATED`
/// until an `Authenticate` succeeds, and while one is being checked the frames after it wait
/// for its answer (so a pipelined call right behind it runs as the service it names).
struct ConnectionAuthentication {
    /// The service this connection authenticated as; `dev` from the start when authentication
    /// is off.
    private(set) var service: String?
    /// An `Authenticate` is being checked: later frames wait for its answer.
    private(set) var isChecking = false

    /// The answer to a call made before authenticating.
    static let refusal = ErrorDetails.make(
        .unauthenticated, "authenticate first: send Authenticate with your service name and API key")

    /// - Parameter required: whether calls need an `Authenticate` first (`mfad --dev`: no).
    init(required: Bool) {
        service = required ? nil : "dev"
    }

    /// Whether `call` may be dispatched now.
    enum Admission {
        case dispatch
        /// Answer `refusal` instead.
        case refuse
    }

    /// Decides whether `call` may be dispatched; an `Authenticate` starts being checked.
    mutating func admit(_ call: Request.Call) -> Admission {
        if case .authenticate = call {
            isChecking = true
            return .dispatch
        }
        return service == nil ? .refuse : .dispatch
    }

    /// Takes note of `call`'s answer: an `Authenticate`'s ends the check, and a success makes
    /// its service the connection's.
    /// - Returns: the service just authenticated, or nil.
    mutating func answered(_ call: Request.Call, _ result: Result<Response.Result, any Error>) -> String? {
        guard case .authenticate = call else { return nil }
        isChecking = false
        guard case .success(.authenticate(let answer)) = result else { return nil }
        service = answer.service
        return answer.service
    }
}
