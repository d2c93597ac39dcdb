import MFAWire
import NIOCore

/// What one frame's envelope says, before the connection's state is consulted: a call to go
/// on with, or an error decided from the bytes alone (answered at once, no dispatch).
enum ScreenedFrame {
    /// A decodable request of this protocol version with a call this server knows.
    case call(id: UInt64, Request.Call)
    /// Answered with `error` and counted as rejected; the connection stays open.
    case rejected(id: UInt64, ErrorDetails)
    /// Not a `Request` envelope: answered `MALFORMED_FRAME` (`error`), then the connection is
    /// closed. `reason` is for the log.
    case malformed(id: UInt64, ErrorDetails, reason: String)

    /// Decodes and checks one frame body.
    /// - Parameter frame: the frame's body (without its length prefix).
    init(frame: ByteBuffer) {
        let request: Request
        do {
            request = try Request(buffer: frame)
        } catch {
            // The id as far as the bytes carry it, so the client can match the error.
            let id = frame.withUnsafeReadableBytes { WireValidator.peekVarint(field: 1, in: $0) } ?? 0
            if error.isInvalidArgument {
                self = .rejected(id: id, .make(.invalidArgument, error.description))
            } else {
                self = .malformed(id: id, .make(.malformedFrame, "not a valid Request envelope: \(error.description)"),
                                  reason: error.description)
            }
            return
        }
        guard request.protocolVersion == ProtocolVersion.current else {
            self = .rejected(id: request.id, .make(
                .unsupportedVersion,
                "protocol_version \(request.protocolVersion) is not supported; this server speaks \(ProtocolVersion.current)"))
            return
        }
        guard let call = request.call else {
            self = .rejected(id: request.id, .make(.unimplemented, "the request's call is missing or unknown to this server"))
            return
        }
        self = .call(id: request.id, call)
    }
}
