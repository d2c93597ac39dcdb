import MFAConformance
import MFAWire

/// A blocking connection that sends exactly the bytes a test wants (broken ones included):
/// the conformance harness's `FrameConnection`, with the few conveniences these tests use.
typealias RawConnection = FrameConnection

extension FrameConnection {
    convenience init(port: Int, receiveTimeoutSeconds: Int) throws {
        try self.init(port: port, timeoutSeconds: receiveTimeoutSeconds)
    }

    /// Sends `request` as one frame.
    func send(_ request: Request) throws {
        let body = try request.serializedBytes()
        try send(Self.lengthPrefix(body.count) + body)
    }

    /// Reads one response frame.
    func readResponse() throws -> Response {
        try Response(serializedBytes: Array(readFrame().dropFirst(4)))
    }

    /// True when the server has closed the connection within the receive timeout.
    func isClosedByServer() -> Bool {
        isClosedByPeer()
    }

    static func lengthPrefix(_ count: Int) -> [UInt8] {
        ScenarioSession.lengthPrefix(count)
    }
}
