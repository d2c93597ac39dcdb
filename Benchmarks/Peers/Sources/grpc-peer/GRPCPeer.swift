import ArgumentParser
import GRPCBench
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import MFAWire

/// The gRPC peer: `Ping` and a `ValidateSession`-shaped unary RPC on grpc-swift-2 over HTTP/2
/// (plaintext, loopback). `ValidateSession` decodes the request with mfad's wire types, looks the
/// token up in memory (no HMAC, no SQLite: this measures the transport, an upper bound for any
/// gRPC service doing mfad's work) and encodes the response.
@main
struct GRPCPeer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grpc-peer",
                                                    abstract: "Serve Ping and ValidateSession over gRPC (grpc-swift-2, HTTP/2).")

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "TCP port.")
    var port = 7381

    func run() async throws {
        let server = GRPCServer(
            transport: .http2NIOPosix(address: .ipv4(host: host, port: port), transportSecurity: .plaintext),
            services: [BenchService()])
        print("grpc-peer listening on \(host):\(port)")
        try await server.serve()
    }
}

struct BenchService: RegistrableRPCService {
    /// Account fields per session token.
    let sessions: [String: ValidateSessionResponse] = Dictionary(uniqueKeysWithValues: (0..<GRPCBench.sessionCount).map { i in
        (GRPCBench.token(i), ValidateSessionResponse(accountID: "account-\(i)-xxxxxxxxxxxxx", email: "user\(i)@example.com",
                                                     plan: "pro", workspace: "load", expiresUnix: 1_767_268_800))
    })

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(forMethod: GRPCBench.ping, deserializer: RawBytesCodec(), serializer: RawBytesCodec()) { request, _ in
            let single = try await ServerRequest(stream: request)
            return StreamingServerResponse(single: ServerResponse(message: single.message))
        }
        let sessions = self.sessions
        router.registerHandler(forMethod: GRPCBench.validateSession, deserializer: RawBytesCodec(), serializer: RawBytesCodec()) { request, _ in
            let single = try await ServerRequest(stream: request)
            let parsed = try ValidateSessionRequest(serializedBytes: single.message)
            guard let session = sessions[parsed.sessionToken] else {
                return StreamingServerResponse(single: ServerResponse(error: RPCError(code: .unauthenticated, message: "invalid session")))
            }
            return StreamingServerResponse(single: ServerResponse(message: try session.serializedBytes()))
        }
    }
}
