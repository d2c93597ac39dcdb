@testable import MFAServer
import MFAWire
import NIOCore
import Testing

/// The connection's parts on their own: the envelope screen, the authentication gate, and the
/// back-pressure and drain state.
@Suite struct ConnectionPartsTests {
    private func frame(_ request: Request) throws -> ByteBuffer {
        ByteBuffer(bytes: try request.serializedBytes())
    }

    @Test func theScreenDecidesFromTheBytesAlone() throws {
        guard case .call(7, .ping) = ScreenedFrame(frame: try frame(Request(id: 7, protocolVersion: 1, call: .ping(PingRequest())))) else {
            Issue.record("a valid ping was not let through")
            return
        }
        guard case .rejected(8, let version) = ScreenedFrame(frame: try frame(Request(id: 8, protocolVersion: 2, call: .ping(PingRequest())))) else {
            Issue.record("version 2 was not rejected")
            return
        }
        #expect(version == .make(.unsupportedVersion, "protocol_version 2 is not supported; this server speaks 1"))
        guard case .rejected(9, let missing) = ScreenedFrame(frame: try frame(Request(id: 9, protocolVersion: 1))) else {
            Issue.record("a request without a call was not rejected")
            return
        }
        #expect(missing.code == .unimplemented)
        guard case .malformed(7, let malformed, _) = ScreenedFrame(frame: ByteBuffer(bytes: [0x08, 0x07, 0x52, 0x09, 0x01])) else {
            Issue.record("a broken envelope was not refused with its id")
            return
        }
        #expect(malformed.code == .malformedFrame)
    }

    @Test func authenticationGatesEveryCallButAuthenticate() {
        var gate = ConnectionAuthentication(required: true)
        let beforeAuthenticate = gate.admit(.ping(PingRequest()))
        #expect(beforeAuthenticate == .refuse)
        let authenticate = Request.Call.authenticate(AuthenticateRequest(service: "portal", apiKey: "k"))
        let authenticateAdmission = gate.admit(authenticate)
        #expect(authenticateAdmission == .dispatch)
        #expect(gate.isChecking)
        let afterFailure = gate.answered(authenticate, .success(.error(.make(.unauthenticated, "no"))))
        #expect(afterFailure == nil)
        #expect(!gate.isChecking)
        let pingAfterFailure = gate.admit(.ping(PingRequest()))
        #expect(pingAfterFailure == .refuse)
        _ = gate.admit(authenticate)
        let authenticated = gate.answered(authenticate, .success(.authenticate(AuthenticateResponse(service: "portal"))))
        #expect(authenticated == "portal")
        let pingAfterSuccess = gate.admit(.ping(PingRequest()))
        #expect(pingAfterSuccess == .dispatch)
        #expect(ConnectionAuthentication(required: false).service == "dev")
    }

    @Test func backPressureKeepsFramesInOrderAndHoldsTheRead() {
        var flow = ConnectionFlow(maximumInFlight: 2)
        let frames = (0..<4).map { ByteBuffer(bytes: [UInt8($0)]) }
        let first = flow.admit(frames[0], gated: false)
        #expect(first == frames[0])
        flow.requestStarted()
        let gatedFrame = flow.admit(frames[1], gated: true)
        #expect(gatedFrame == nil, "behind an Authenticate being checked")
        let behindWaiting = flow.admit(frames[2], gated: false)
        #expect(behindWaiting == nil, "behind a frame that waits")
        let whileGated = flow.nextWaiting(gated: true)
        #expect(whileGated == nil)
        let firstWaiting = flow.nextWaiting(gated: false)
        #expect(firstWaiting == frames[1])
        flow.requestStarted()
        let held = flow.holdsRead()
        #expect(held, "at the limit")
        let atTheLimit = flow.nextWaiting(gated: false)
        #expect(atTheLimit == nil)
        let releasedAtTheLimit = flow.releasesHeldRead()
        #expect(!releasedAtTheLimit)
        flow.requestFinished()
        let released = flow.releasesHeldRead()
        #expect(released)
        let releasedAgain = flow.releasesHeldRead()
        #expect(!releasedAgain, "released once")
        let nextAfterRelease = flow.nextWaiting(gated: false)
        #expect(nextAfterRelease == frames[2])
    }

    @Test func aHalfClosedConnectionClosesOnceEverythingIsAnswered() {
        var flow = ConnectionFlow(maximumInFlight: 1)
        flow.requestStarted()
        _ = flow.admit(ByteBuffer(bytes: [1]), gated: false)
        #expect(flow.inputEnding(gated: false) == .notYet)
        flow.inputEndedInsideFrame(received: 3)
        let closed = flow.closeInput()
        #expect(closed)
        let closedAgain = flow.closeInput()
        #expect(!closedAgain, "once")
        let held = flow.holdsRead()
        #expect(!held, "reads are not held after the input closed")
        #expect(flow.inputEnding(gated: false) == .notYet)
        flow.requestFinished()
        #expect(flow.inputEnding(gated: false) == .notYet, "a frame still waits")
        _ = flow.nextWaiting(gated: false)
        #expect(flow.inputEnding(gated: true) == .notYet, "an Authenticate is still being checked")
        #expect(flow.inputEnding(gated: false) == .closeAfterCutFrame(received: 3))
    }

    @Test func drainingReleasesAHeldReadAndWaitsForQuiet() {
        var flow = ConnectionFlow(maximumInFlight: 1)
        flow.requestStarted()
        let held = flow.holdsRead()
        #expect(held)
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let releasesRead = flow.startDraining(now: start)
        #expect(releasesRead, "the held read is issued")
        let heldWhileDraining = flow.holdsRead()
        #expect(!heldWhileDraining, "nothing is held while draining")
        #expect(!flow.isQuiet(now: start + .seconds(1)), "a request is in flight")
        flow.requestFinished()
        #expect(!flow.isQuiet(now: start + .milliseconds(99)))
        #expect(flow.isQuiet(now: start + ConnectionFlow.drainQuietPeriod))
        flow.readWhileDraining(now: start + .seconds(1))
        #expect(!flow.isQuiet(now: start + .seconds(1)))
    }
}
