import MFAWire

/// Drives one scenario against a fresh server while recording every frame, so the recording can
/// be replayed byte for byte. Calls are synchronous: a scenario reads like a transcript.
public final class ScenarioSession {
    private let server: ConformanceServer
    private var connection: FrameConnection
    private var nextID: UInt64 = 1
    /// What has happened so far.
    public private(set) var steps: [Exchange.Step] = []

    /// Something the scenario did not expect: the scenario (not the server) is wrong, or the
    /// server changed behaviour.
    public struct Unexpected: Error, CustomStringConvertible {
        public let description: String
    }

    /// - Parameters:
    ///   - server: the fresh server the scenario runs against.
    ///   - authenticate: whether each connection starts with `Authenticate` (recorded like any call).
    public init(server: ConformanceServer, authenticate: Bool = true) throws {
        self.server = server
        self.authenticates = authenticate
        self.connection = try FrameConnection(port: server.port)
        try startConnection()
    }

    private let authenticates: Bool

    /// Authenticates a new connection with the scenario key, when the session does that.
    private func startConnection() throws {
        guard authenticates else { return }
        try authenticate(service: ConformanceServer.service, apiKey: ConformanceServer.apiKey)
    }

    /// `Authenticate`.
    @discardableResult
    public func authenticate(service: String, apiKey: String) throws -> Response.Result {
        try call(.authenticate(AuthenticateRequest(service: service, apiKey: apiKey)))
    }

    /// Sends `call` with the next request id and waits for its response.
    /// - Returns: the response's result (`.error(...)` included).
    @discardableResult
    public func call(_ call: Request.Call) throws -> Response.Result {
        let id = try send(call)
        let response = try receive()
        guard response.id == id, let result = response.result else {
            throw Unexpected(description: "response \(response.textFormat) does not answer request \(id)")
        }
        return result
    }

    /// Sends `call` with the next request id without waiting (pipelining).
    /// - Returns: the id used.
    @discardableResult
    public func send(_ call: Request.Call, protocolVersion: UInt32 = ProtocolVersion.current) throws -> UInt64 {
        let id = nextID
        nextID += 1
        let body = try Request(id: id, protocolVersion: protocolVersion, call: call).serializedBytes()
        try sendRaw(Self.lengthPrefix(body.count) + body)
        return id
    }

    /// Sends bytes as they are (a frame the scenario builds itself, possibly invalid).
    public func sendRaw(_ bytes: [UInt8]) throws {
        steps.append(.client(bytes))
        try connection.send(bytes)
    }

    /// Reads the next response.
    public func receive() throws -> Response {
        let frame = try connection.readFrame()
        steps.append(.server(frame))
        return try Response(serializedBytes: Array(frame.dropFirst(4)))
    }

    /// Requires the server to close the connection now.
    public func expectClosed() throws {
        guard connection.isClosedByPeer() else { throw Unexpected(description: "the server did not close the connection") }
        steps.append(.closed)
    }

    /// Opens a new connection to the same server.
    public func reconnect() throws {
        connection = try FrameConnection(port: server.port)
        steps.append(.reconnect)
        try startConnection()
    }

    /// Restarts the server on the same database with other test-mode flags, and reconnects.
    public func restartServer(_ arguments: [String]) async throws {
        steps.append(.restart(arguments))
        try await server.restart(arguments)
        connection = try FrameConnection(port: server.port)
        try startConnection()
    }

    /// Stops the server and requires that it refuses to start with these test-mode flags.
    /// - Returns: what the refused process logged.
    @discardableResult
    public func expectRefusedStart(_ arguments: [String]) async throws -> String {
        steps.append(.refusedStart(arguments))
        return try await server.expectRefusedStart(arguments)
    }

    /// The 4-byte big-endian length prefix of a frame body.
    public static func lengthPrefix(_ count: Int) -> [UInt8] {
        let length = UInt32(count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
    }

    /// The value `extract` finds in `result`, or an `Unexpected` error quoting the result.
    public func expect<T>(_ result: Response.Result, _ what: String, _ extract: (Response.Result) -> T?) throws -> T {
        guard let value = extract(result) else {
            throw Unexpected(description: "expected \(what), got \(Response(result: result).textFormat)")
        }
        return value
    }
}
