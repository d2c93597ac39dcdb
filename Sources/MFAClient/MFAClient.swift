import MFAWire
import NIOCore
import NIOPosix

/// A connection to mfad. Many calls may be in flight at once on one client; each is matched to
/// its response by request id, so responses may come back in any order.
///
/// ```swift
/// let client = try await MFAClient.connect(host: "127.0.0.1", port: 7370)
/// let pong = try await client.ping(PingRequest(payload: [1, 2, 3]))
/// await client.close()
/// ```
public final class MFAClient: Sendable {
    /// How a client connects and waits.
    public struct Configuration: Sendable {
        /// How long `connect` may take.
        public var connectTimeout: TimeAmount = .seconds(5)
        /// How long a call waits for its answer unless the call says otherwise.
        public var callTimeout: TimeAmount = .seconds(30)
        /// The largest response frame accepted.
        public var maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength
        /// The calling service's name and API key, sent as `Authenticate` right after connecting;
        /// nil for a server running with `--dev`.
        public var credentials: Credentials?

        /// The defaults: 5 s to connect, 30 s per call, 1 MiB frames, no credentials.
        public init() {}
    }

    /// A calling service's name and API key (`mfad keys create SERVICE`).
    public struct Credentials: Sendable {
        public var service: String
        public var apiKey: String

        /// - Parameters:
        ///   - service: the service name the key was made for.
        ///   - apiKey: the key.
        public init(service: String, apiKey: String) {
            self.service = service
            self.apiKey = apiKey
        }
    }

    private let channel: any Channel
    private let configuration: Configuration

    private init(channel: any Channel, configuration: Configuration) {
        self.channel = channel
        self.configuration = configuration
    }

    /// Opens a connection.
    /// - Parameters:
    ///   - host: the server's address, e.g. `127.0.0.1`.
    ///   - port: the server's port (7370 by default).
    ///   - configuration: timeouts and limits.
    ///   - eventLoopGroup: where the connection's I/O runs; NIO's shared group by default.
    /// - Returns: a connected client, authenticated when the configuration has credentials.
    /// - Throws: `MFAClientError.connectFailed` when the connection cannot be opened, the
    ///   server's `UNAUTHENTICATED` when the credentials are refused.
    public static func connect(
        host: String,
        port: Int = ProtocolVersion.defaultPort,
        configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(MFAClientError) -> MFAClient {
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        FrameDecodingHandler(maximumFrameLength: configuration.maximumFrameLength, frameTimeout: nil))
                    try channel.pipeline.syncOperations.addHandler(ClientHandler())
                }
            }
        let client: MFAClient
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            client = MFAClient(channel: channel, configuration: configuration)
        } catch {
            throw .connectFailed("\(host):\(port): \(error)")
        }
        if let credentials = configuration.credentials {
            do {
                _ = try await client.authenticate(AuthenticateRequest(service: credentials.service, apiKey: credentials.apiKey))
            } catch {
                await client.close()
                throw error
            }
        }
        return client
    }

    /// Sends one call and waits for its result.
    /// - Parameters:
    ///   - call: the RPC and its request.
    ///   - timeout: how long to wait; the configuration's `callTimeout` when nil.
    /// - Returns: the response's result (never `.error`: errors are thrown).
    /// - Throws: `MFAClientError`, with the server's code and message for server errors.
    public func call(_ call: Request.Call, timeout: TimeAmount? = nil) async throws(MFAClientError) -> Response.Result {
        let promise = channel.eventLoop.makePromise(of: Response.Result.self)
        // A write that never reaches the handler (channel already closed) fails the call here;
        // a promise completed twice keeps its first result.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in promise.fail(MFAClientError.connectionClosed) }
        channel.writeAndFlush(PendingCall(call: call, timeout: timeout ?? configuration.callTimeout, promise: promise), promise: written)
        do {
            return try await promise.futureResult.get()
        } catch let error as MFAClientError {
            throw error
        } catch {
            throw .connectionClosed
        }
    }

    /// Closes the connection; calls still waiting fail with `connectionClosed`.
    public func close() async {
        try? await channel.close()
    }
}
