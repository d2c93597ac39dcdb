import MFACore
import MFAWire
import NIOCore

/// The part of a call that waits: run as the request's task.
typealias ServiceWork = @Sendable () async throws(MFAError) -> Response.Result

extension RequestContext {
    /// Runs `work` as a task on the connection's event loop (its task executor), so the task and
    /// every await inside it that needs no other thread stay on the loop, and completing the
    /// answer needs no hop. An `MFAError` becomes its error answer (logged when it carries a
    /// detail for the log).
    /// - Parameters:
    ///   - call: the call, for the log.
    ///   - work: what answers it.
    /// - Returns: the pending answer.
    func answerLater(_ call: Request.Call, _ work: @escaping ServiceWork) -> DispatchOutcome {
        let promise = eventLoop.makePromise(of: Response.Result.self)
        let logger = logger
        let requestID = requestID
        let rpc = call.rpcName
        Task(executorPreference: taskExecutor) {
            do throws(MFAError) {
                promise.succeed(try await work())
            } catch {
                if let detail = error.logDetail {
                    logger.error("request failed", metadata: [
                        "request_id": "\(requestID)", "rpc": "\(rpc)", "detail": "\(detail)",
                    ])
                }
                promise.succeed(.error(ErrorDetails(error)))
            }
        }
        return .pending(promise.futureResult)
    }
}
