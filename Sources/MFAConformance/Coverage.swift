import MFAWire

/// Checks that the exchanges cover the protocol: a successful answer for every RPC and every
/// error code at least once. A new RPC or error code without an exchange fails the check.
public enum Coverage {
    /// Error codes no exchange can show, and why.
    public static let exempt: [ErrorCode: String] = [
        .unspecified: "the proto3 zero value; never sent",
        .internal: "only an unexpected server fault produces it; there is no deterministic way to cause one",
        .unavailable: """
            only a failing database, a connection over --max-connections or a stopping server produces it; none \
            fits one scripted connection (a wrong master key now refuses to start: wrong-master-key). Tests over \
            TCP: ServerLimitTests, LifecycleTests, OperationsTests
            """,
    ]

    /// What is missing; empty when everything is covered.
    public static func problems(in exchanges: [Exchange]) -> [String] {
        var answered: Set<String> = []
        var codes: Set<UInt32> = []
        for exchange in exchanges {
            for case .server(let frame) in exchange.steps {
                guard let body = FrameText.body(frame), let response = try? Response(serializedBytes: body),
                      let result = response.result else { continue }
                switch result {
                case .error(let error): codes.insert(error.code.rawValue)
                default: answered.insert(result.rpcName)
                }
            }
        }
        var problems: [String] = []
        for rpc in Request.Call.allRPCNames where !answered.contains(rpc) {
            problems.append("no exchange shows a successful \(rpc)")
        }
        for code in ErrorCode.knownValues where exempt[code] == nil && !codes.contains(code.rawValue) {
            problems.append("no exchange shows \(code.protoName)")
        }
        return problems
    }
}
