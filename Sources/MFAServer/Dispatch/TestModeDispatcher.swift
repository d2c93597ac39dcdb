import MFACore
import MFAWire

/// Serves the RPCs that exist only in test mode (SPEC 4.3): `AdvanceClock` moves the manual
/// clock, `ReadOutbox` shows every queued message with its code. mfad puts it behind the
/// `ServiceDispatcher` (as its `next`) only with `--test-mode`; a production server has no
/// dispatcher for these calls, so they are answered `ServiceDispatcher.unservedAnswer`.
public struct TestModeDispatcher: RequestDispatcher {
    /// The RPCs served here, in .proto order.
    public static let rpcNames = ["AdvanceClock", "ReadOutbox"]

    /// The service in test mode (made with a manual test clock).
    public let service: MFAService

    /// - Parameter service: the service, made in test mode (with its manual test clock).
    public init(service: MFAService) {
        self.service = service
    }

    public var supportedRPCs: [String] { Self.rpcNames }

    /// Starts the task of a test-mode call; answers any other call `UNIMPLEMENTED` at once.
    /// - Parameters:
    ///   - call: the decoded call.
    ///   - context: the request's context; its task executor runs the task.
    /// - Returns: the pending answer, or the immediate error.
    public func dispatch(_ call: Request.Call, context: RequestContext) -> DispatchOutcome {
        let service = self.service
        switch call {
        case .advanceClock(let r):
            return context.answerLater(call) { () async throws(MFAError) -> Response.Result in
                let now = try await service.advanceClock(seconds: r.seconds)
                return .advanceClock(AdvanceClockResponse(nowUnix: now.unixSeconds))
            }
        case .readOutbox:
            return context.answerLater(call) { () async throws(MFAError) -> Response.Result in
                .readOutbox(ReadOutboxResponse(messages: try await service.readOutbox().map(MFAWire.OutboxMessage.init)))
            }
        default:
            return .answered(.error(.make(.unimplemented, "\(call.rpcName) is not implemented by this server")))
        }
    }
}
