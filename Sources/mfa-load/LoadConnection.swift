import MFALoad
import MFAWire
import NIOCore

/// One load connection: starts operations (closed loop: as soon as a slot is free; open loop: at
/// their scheduled time, queued when every slot is busy), pipelines their requests, and matches
/// responses by id. Everything runs on the connection's event loop: no task hops per request.
final class LoadConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        let needsBody: Bool
        let completion: (Reply) -> Void
    }

    let loop: LoopState
    let fixtures: Fixtures
    private let plan: ConnectionPlan
    private let done: EventLoopPromise<Void>
    private var context: ChannelHandlerContext?
    private var pending: [UInt64: Pending] = [:]
    private var nextID: UInt64 = 1
    private var isReading = false
    private var needsFlush = false
    private var active = 0
    private var measuredStarted = 0
    private var backlog = CircularBuffer<NIODeadline>()
    private var schedule: ArrivalSchedule?
    private var start = NIODeadline.now()
    /// Set when the start event arrives; operations begin at `start`.
    private var isStarted = false
    private var stopStarting = false
    private var isClosed = false

    init(loop: LoopState, fixtures: Fixtures, plan: ConnectionPlan, done: EventLoopPromise<Void>) {
        self.loop = loop
        self.fixtures = fixtures
        self.plan = plan
        self.done = done
        self.schedule = plan.schedule
    }

    /// The connection's event loop (nil once the handler is gone).
    var eventLoop: (any EventLoop)? { context?.eventLoop }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let startEvent = event as? StartLoad else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        start = startEvent.start
        isStarted = true
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(deadline: start) { bound.value.begin() }
    }

    /// Starts the first operations, at the common start time.
    private func begin() {
        if schedule != nil {
            tick()
        } else {
            for _ in 0..<plan.inFlight where mayStartMore(at: .now()) {
                startOperation(intended: .now())
            }
            flushIfNeeded()
            checkDone()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        isReading = true
        let head = ResponseHead(frame)
        let decodeAll = head == nil || head!.isError
        var decoded: Response?
        if decodeAll { decoded = try? Response(buffer: frame) }
        guard let id = head?.id ?? decoded?.id, let waiter = pending.removeValue(forKey: id) else {
            // A response without a known id: a connection-level error. The server closes next.
            return
        }
        if waiter.needsBody && decoded == nil { decoded = try? Response(buffer: frame) }
        let reply: Reply
        switch decoded?.result {
        case .error(let details)?: reply = .error(details)
        case let result?: reply = .result(result)
        case nil: reply = (decodeAll || waiter.needsBody) ? .failure("MALFORMED_RESPONSE") : .result(nil)
        }
        waiter.completion(reply)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        isReading = false
        flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        stopStarting = true
        backlog.removeAll()
        let waiting = pending
        pending.removeAll()
        for waiter in waiting.values { waiter.completion(.failure("CONNECTION")) }
        checkDone()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: - Sending

    /// Sends a request from a template; `completion` runs on this event loop with the answer.
    func send(_ template: RequestTemplate, needsBody: Bool = false, _ completion: @escaping (Reply) -> Void) {
        guard let context, !isClosed else { return completion(.failure("CONNECTION")) }
        let id = nextID
        nextID &+= 1
        var buffer = context.channel.allocator.buffer(capacity: template.body.count + 16)
        template.write(id: id, into: &buffer)
        pending[id] = Pending(needsBody: needsBody, completion: completion)
        write(buffer, context: context)
    }

    /// Sends a request encoded now (for calls whose fields change every time).
    func send(_ call: Request.Call, needsBody: Bool = false, _ completion: @escaping (Reply) -> Void) {
        guard let context, !isClosed else { return completion(.failure("CONNECTION")) }
        let id = nextID
        nextID &+= 1
        var buffer = context.channel.allocator.buffer(capacity: 128)
        do {
            try buffer.writeFrame(Request(id: id, protocolVersion: ProtocolVersion.current, call: call))
        } catch {
            return completion(.failure("ENCODING"))
        }
        pending[id] = Pending(needsBody: needsBody, completion: completion)
        write(buffer, context: context)
    }

    private func write(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(buffer), promise: nil)
        needsFlush = true
        if !isReading && !inTick { flushIfNeeded() }
    }

    private func flushIfNeeded() {
        guard needsFlush, let context else { return }
        needsFlush = false
        context.flush()
    }

    /// Runs `body` on this connection's event loop later (from a pool's wake-up).
    func later(_ body: @escaping (LoadConnection) -> Void) -> @Sendable () -> Void {
        guard let eventLoop = context?.eventLoop else { return {} }
        let bound = NIOLoopBound((self, body), eventLoop: eventLoop)
        return {
            eventLoop.execute {
                let (connection, body) = bound.value
                body(connection)
                connection.flushIfNeeded()
            }
        }
    }

    // MARK: - Operations

    private var inTick = false

    /// Open loop: releases the operations that are due, then sleeps until the next one.
    private func tick() {
        guard var schedule, let context else { return }
        let now = NIODeadline.now()
        inTick = true
        if !stopStarting {
            let limit = plan.operations.map { max(0, $0 - measuredStarted - backlog.count) } ?? .max
            let dueTimes = schedule.release(dueBy: (now - start).nanoseconds, limit: limit)
            self.schedule = schedule
            for offset in dueTimes {
                let intended = start + .nanoseconds(offset)
                if let end = plan.endOffset, intended >= start + end {
                    stopStarting = true
                    break
                }
                if active < plan.inFlight {
                    startOperation(intended: intended)
                } else {
                    backlog.append(intended)
                }
            }
            if let total = plan.operations, measuredStarted + backlog.count >= total { stopStarting = true }
        }
        inTick = false
        flushIfNeeded()
        if !stopStarting {
            let next = start + .nanoseconds(schedule.nextDue)
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(deadline: max(next, now + .microseconds(20))) { bound.value.tick() }
        }
        checkDone()
    }

    private func mayStartMore(at now: NIODeadline) -> Bool {
        guard !stopStarting else { return false }
        if let end = plan.endOffset, now >= start + end {
            stopStarting = true
            return false
        }
        if let total = plan.operations, measuredStarted >= total {
            stopStarting = true
            return false
        }
        return true
    }

    private func startOperation(intended: NIODeadline) {
        active += 1
        loop.inFlight += 1
        if intended >= start + plan.warmup { measuredStarted += 1 }
        guard let scenario = loop.nextScenario() else { return abandon() }
        run(scenario, intended: intended)
    }

    /// Ends an operation: records it and starts the next one if the run goes on.
    func finish(_ scenario: Scenario, intended: NIODeadline, requests: Int, error: String?) {
        loop.record(scenario, intended: intended, now: .now(), requests: requests, error: error)
        release()
    }

    /// Ends an operation whose scenario's pool is used up: nothing is recorded, and the mix skips
    /// the scenario from now on (the connection stops when nothing is left).
    func abandon(_ scenario: Scenario) {
        loop.exhausted.insert(scenario)
        if loop.nextScenario() != nil { return release() }
        abandon()
    }

    /// Ends an operation that could not run: nothing is recorded and this connection starts no more.
    func abandon() {
        stopStarting = true
        backlog.removeAll()
        release()
    }

    private func release() {
        active -= 1
        loop.inFlight -= 1
        if schedule != nil {
            if let next = backlog.popFirst() {
                startOperation(intended: next)
            }
        } else if mayStartMore(at: .now()) {
            startOperation(intended: .now())
        }
        checkDone()
    }

    private var isDone = false

    private func checkDone() {
        guard isStarted, !isDone, active == 0, backlog.isEmpty, stopStarting || isClosed else { return }
        isDone = true
        done.succeed(())
    }
}

@available(*, unavailable)
extension LoadConnection: Sendable {}
