import Logging
import MFAExecutors
@testable import MFAServer
import MFAWire
import NIOCore
import NIOEmbedded
import Testing

/// The synchronous path: calls answered at once (`DispatchOutcome.answered`) are written and
/// flushed in the event-loop turn of the read that brought them, with no promise and no task;
/// answers that wait are flushed together once the loop has run their completions.
@Suite struct ImmediateAnswerTests {
    static func context(on loop: any EventLoop, id: UInt64 = 1) -> RequestContext {
        RequestContext(requestID: id, peer: "127.0.0.1:40000", peerIP: "127.0.0.1", service: "dev",
                       taskExecutor: EventLoopTaskExecutor(loop), logger: Logger(label: "test"))
    }

    @Test func pingAndServerInfoAreAnsweredWithoutAFuture() throws {
        let loop = EmbeddedEventLoop()
        let system = SystemDispatcher(version: "test")
        let instrumented = InstrumentedDispatcher(next: system, factory: CountingMetricsFactory())
        for dispatcher in [system, instrumented] as [any RequestDispatcher] {
            guard case .answered(.ping(let pong)) = dispatcher.dispatch(.ping(PingRequest(payload: [7])), context: Self.context(on: loop)) else {
                Issue.record("Ping was not answered at once by \(type(of: dispatcher))")
                continue
            }
            #expect(pong.payload == [7])
            guard case .answered(.serverInfo(let info)) = dispatcher.dispatch(.serverInfo(ServerInfoRequest()),
                                                                              context: Self.context(on: loop)) else {
                Issue.record("ServerInfo was not answered at once by \(type(of: dispatcher))")
                continue
            }
            #expect(info.rpcs == ["Ping", "ServerInfo"])
            // Without a next dispatcher, the UNIMPLEMENTED answer is immediate too.
            guard case .answered(.error(let error)) = dispatcher.dispatch(.logout(LogoutRequest()), context: Self.context(on: loop)) else {
                Issue.record("an unknown call was not answered at once by \(type(of: dispatcher))")
                continue
            }
            #expect(error.code == .unimplemented)
        }
    }

    @Test func aPingIsWrittenAndFlushedInTheTurnOfItsRead() throws {
        let connection = try EmbeddedConnection(dispatcher: InstrumentedDispatcher(
            next: SystemDispatcher(version: "test"), factory: CountingMetricsFactory()))
        try connection.send([
            Request(id: 1, protocolVersion: 1, call: .ping(PingRequest(payload: [1]))),
            Request(id: 2, protocolVersion: 1, call: .ping(PingRequest(payload: [2]))),
        ])
        // The loop has not run: what is there was written and flushed during the read itself.
        #expect(try connection.flushedResponses() == [
            Response(id: 1, result: .ping(PingResponse(payload: [1]))),
            Response(id: 2, result: .ping(PingResponse(payload: [2]))),
        ])
        #expect(connection.flushes.count == 1, "both answers of one read share one flush")
    }

    @Test func errorsDecidedBeforeDispatchAreAnsweredInTheSameTurn() throws {
        let connection = try EmbeddedConnection(dispatcher: GatedDispatcher(), requireAuthentication: true)
        try connection.send([
            Request(id: 1, protocolVersion: 1, call: .ping(PingRequest())),
            Request(id: 2, protocolVersion: 9, call: .ping(PingRequest())),
            Request(id: 3, protocolVersion: 1),
        ])
        let answers = try connection.flushedResponses()
        #expect(answers.map(\.id) == [1, 2, 3])
        #expect(answers.map(\.errorCode) == [.unauthenticated, .unsupportedVersion, .unimplemented])
    }

    @Test func answersThatWaitAreFlushedTogetherOnTheNextPassOfTheLoop() throws {
        let gate = GatedDispatcher()
        let connection = try EmbeddedConnection(dispatcher: gate)
        try connection.send((1...3).map { Request(id: $0, protocolVersion: 1, call: .ping(PingRequest(payload: [UInt8($0)]))) })
        #expect(gate.dispatchedCount == 3)
        #expect(try connection.flushedResponses().isEmpty)
        let flushesBefore = connection.flushes.count
        // Completed outside a read: written at once, flushed when the loop next runs.
        gate.releaseAll()
        #expect(try connection.flushedResponses().isEmpty)
        connection.channel.embeddedEventLoop.run()
        #expect(try connection.flushedResponses().map(\.id) == [1, 2, 3])
        #expect(connection.flushes.count == flushesBefore + 1, "three completions, one flush")
    }

    @Test func framesBeyondTheInFlightLimitWaitAndThenGoInOrder() throws {
        let gate = GatedDispatcher()
        let connection = try EmbeddedConnection(dispatcher: gate, maximumInFlight: 2)
        try connection.send((1...5).map { Request(id: $0, protocolVersion: 1, call: .ping(PingRequest(payload: [UInt8($0)]))) })
        #expect(gate.dispatchedCount == 2)
        var answered: [UInt64] = []
        while answered.count < 5 {
            gate.releaseAll()
            connection.channel.embeddedEventLoop.run()
            answered += try connection.flushedResponses().map(\.id)
        }
        #expect(answered == [1, 2, 3, 4, 5])
    }

    @Test func aHalfCloseAnswersWhatWasReadThenReportsTheCutFrameAndCloses() throws {
        let gate = GatedDispatcher()
        let connection = try EmbeddedConnection(dispatcher: gate, maximumInFlight: 1)
        var bytes = connection.channel.allocator.buffer(capacity: 64)
        for id in UInt64(1)...3 {
            try bytes.writeFrame(Request(id: id, protocolVersion: 1, call: .ping(PingRequest())))
        }
        bytes.writeBytes([0, 0, 0, 9, 1, 2])  // 6 bytes of a frame of 9
        try connection.channel.writeInbound(bytes)
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        var answers: [Response] = []
        for _ in 0..<10 where connection.channel.isActive {
            gate.releaseAll()
            connection.channel.embeddedEventLoop.run()
            answers += try connection.flushedResponses()
        }
        #expect(!connection.channel.isActive, "closed once everything read was answered")
        #expect(answers.map(\.id) == [1, 2, 3, 0])
        guard case .error(let error)? = answers.last?.result else {
            Issue.record("the last answer is not an error")
            return
        }
        #expect(error.code == .malformedFrame)
        #expect(error.message.contains("6 bytes into a frame"))
    }

    @Test func drainingAnswersUnavailableAtOnceAndClosesWhenQuiet() throws {
        let gate = GatedDispatcher()
        let connection = try EmbeddedConnection(dispatcher: gate, maximumInFlight: 1)
        try connection.send((1...3).map { Request(id: $0, protocolVersion: 1, call: .ping(PingRequest())) })
        #expect(gate.dispatchedCount == 1)
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        // The two frames held behind the limit are refused at once; the one in flight is answered.
        #expect(try connection.flushedResponses().isEmpty)
        connection.channel.embeddedEventLoop.run()
        let refused = try connection.flushedResponses()
        #expect(refused.map(\.id) == [2, 3])
        #expect(refused.map(\.errorCode) == [.unavailable, .unavailable])
        gate.releaseAll()
        connection.channel.embeddedEventLoop.run()
        #expect(try connection.flushedResponses().map(\.id) == [1])
        #expect(connection.channel.isActive)
        connection.channel.embeddedEventLoop.advanceTime(by: ConnectionFlow.drainQuietPeriod)
        #expect(!connection.channel.isActive)
    }
}

extension Response {
    /// The code of the error this response carries, nil for a result.
    var errorCode: ErrorCode? {
        guard case .error(let error)? = result else { return nil }
        return error.code
    }
}
