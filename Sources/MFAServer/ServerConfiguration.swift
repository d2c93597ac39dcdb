import MFAWire
import NIOCore

/// How the server listens and what it tolerates from a connection.
public struct ServerConfiguration: Sendable {
    /// The address to bind, `127.0.0.1` by default (SPEC 4.1).
    public var host: String = "127.0.0.1"
    /// The port to bind, 7370 by default; 0 picks a free port.
    public var port: Int = ProtocolVersion.defaultPort
    /// The largest request frame accepted; a larger length prefix gets one error and a close.
    public var maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength
    /// A connection with no request for this long, and none in flight, is closed.
    public var idleTimeout: TimeAmount = .seconds(300)
    /// A frame that has started must arrive completely within this time.
    public var frameTimeout: TimeAmount = .seconds(10)
    /// Open connections accepted at once; further ones get one `UNAVAILABLE` error and a close.
    public var maximumConnections: Int = 10_000
    /// Requests one connection may have in flight; beyond it the server stops reading from that
    /// connection until answers go out (back-pressure, not an unbounded queue).
    public var maximumInFlightPerConnection: Int = 128
    /// Whether every connection must `Authenticate` first (SPEC 4); `mfad --dev` turns it off.
    public var requireAuthentication: Bool = true
    /// How long a graceful stop waits for in-flight requests before closing connections anyway.
    public var shutdownGracePeriod: TimeAmount = .seconds(10)

    /// The defaults above.
    public init() {}
}
