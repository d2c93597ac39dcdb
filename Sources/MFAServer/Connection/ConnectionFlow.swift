import NIOCore

/// Back-pressure and winding down of one connection, as state and decisions (the handler does
/// the I/O):
/// - at most `maximumInFlight` requests are dispatched at once; frames read beyond that wait,
///   in order, and the next socket read is held until answers go out (no unbounded queue);
/// - a half-close by the peer (`ChannelEvent.inputClosed`) lets every frame already read be
///   answered, then the connection closes, after a `MALFORMED_FRAME` when the input ended in
///   the middle of a frame;
/// - a drain (`ChannelShouldQuiesceEvent`, the server's graceful stop) answers every frame
///   from then on `UNAVAILABLE`, reads what the peer already sent instead of holding it, and
///   closes once nothing is in flight and the peer has been quiet for `drainQuietPeriod`.
struct ConnectionFlow {
    /// While draining, a connection is closed once nothing is in flight and nothing was read for
    /// this long, so requests already on their way are answered (`UNAVAILABLE`), not dropped.
    static let drainQuietPeriod: TimeAmount = .milliseconds(100)

    /// Requests dispatched at once, at most; at least 1.
    let maximumInFlight: Int
    /// Requests dispatched and not answered yet.
    private(set) var inFlight = 0
    /// Frames read while at the limit (or behind an `Authenticate` being checked).
    private var waiting = CircularBuffer<ByteBuffer>()
    /// A read the pipeline asked for while the connection was at its in-flight limit.
    private var readHeld = false
    /// The server is draining: nothing is dispatched any more.
    private(set) var isDraining = false
    /// The peer half-closed: nothing more will be read; close once every request is answered.
    private(set) var isInputClosed = false
    /// The peer half-closed in the middle of a frame: `MALFORMED_FRAME` before the close.
    private var truncatedFrameBytes: Int?
    /// The last read while draining.
    private var lastReadAt = NIODeadline.uptimeNanoseconds(0)

    /// - Parameter maximumInFlight: the in-flight limit (values below 1 count as 1).
    init(maximumInFlight: Int) {
        self.maximumInFlight = max(1, maximumInFlight)
    }

    /// Frames waiting to be handled.
    var waitingCount: Int { waiting.count }

    // MARK: - Back-pressure

    /// A frame read while not draining: returned to be handled now, or kept (nil) when the
    /// connection is at its limit, `gated` (an `Authenticate` is being checked), or frames read
    /// earlier still wait.
    mutating func admit(_ frame: ByteBuffer, gated: Bool) -> ByteBuffer? {
        if inFlight >= maximumInFlight || gated || !waiting.isEmpty {
            waiting.append(frame)
            return nil
        }
        return frame
    }

    /// The next waiting frame that may be handled now: under the limit and not `gated`.
    mutating func nextWaiting(gated: Bool) -> ByteBuffer? {
        guard inFlight < maximumInFlight, !gated else { return nil }
        return waiting.popFirst()
    }

    /// The next waiting frame whatever the limit (while draining each is answered at once).
    mutating func nextWaitingToRefuse() -> ByteBuffer? {
        waiting.popFirst()
    }

    /// The pipeline asks for a read: true to hold it (at the limit, unless draining or the
    /// input is closed: what the peer already sent is then read and answered).
    mutating func holdsRead() -> Bool {
        guard inFlight >= maximumInFlight, !isDraining, !isInputClosed else { return false }
        readHeld = true
        return true
    }

    /// After answers went out: true when a held read should be issued now.
    mutating func releasesHeldRead() -> Bool {
        guard readHeld, inFlight < maximumInFlight else { return false }
        readHeld = false
        return true
    }

    /// A request was dispatched and waits for its answer.
    mutating func requestStarted() {
        inFlight += 1
    }

    /// A dispatched request was answered.
    mutating func requestFinished() {
        inFlight -= 1
    }

    // MARK: - Half-close

    /// The peer half-closed. Returns false when it had already.
    mutating func closeInput() -> Bool {
        guard !isInputClosed else { return false }
        isInputClosed = true
        readHeld = false
        return true
    }

    /// The input ended `received` bytes into a frame (reported just before `closeInput`).
    mutating func inputEndedInsideFrame(received: Int) {
        truncatedFrameBytes = received
    }

    /// What to do with a half-closed connection now.
    enum InputEnding: Equatable {
        /// Requests are still being answered (or the peer has not half-closed).
        case notYet
        /// Everything read is answered: close.
        case close
        /// Everything read is answered and the input ended inside a frame: `MALFORMED_FRAME`, then close.
        case closeAfterCutFrame(received: Int)
    }

    /// Whether a half-closed connection has answered everything it read (`gated`: an
    /// `Authenticate` is still being checked).
    func inputEnding(gated: Bool) -> InputEnding {
        guard isInputClosed, inFlight == 0, waiting.isEmpty, !gated else { return .notYet }
        return truncatedFrameBytes.map { .closeAfterCutFrame(received: $0) } ?? .close
    }

    // MARK: - Drain

    /// The drain begins; `now` starts the quiet period. Returns whether a held read should be
    /// issued now (what the peer sent is read and refused, not left unread).
    mutating func startDraining(now: NIODeadline) -> Bool {
        isDraining = true
        lastReadAt = now
        defer { readHeld = false }
        return readHeld
    }

    /// A frame was read while draining.
    mutating func readWhileDraining(now: NIODeadline) {
        lastReadAt = now
    }

    /// While draining: nothing in flight and nothing read for `drainQuietPeriod`.
    func isQuiet(now: NIODeadline) -> Bool {
        inFlight == 0 && now - lastReadAt >= Self.drainQuietPeriod
    }
}
