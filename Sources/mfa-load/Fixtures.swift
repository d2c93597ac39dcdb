import MFAClient
import MFACore
import MFALoad
import MFAWire
import NIOConcurrencyHelpers
import NIOCore

/// An account's email and password.
struct Credentials: Sendable {
    let accountID: String
    let email: String
    let password: String
}

/// What the set-up phase made for the scenarios of the mix. The arrays are read-only; the pools
/// that hand things out one at a time keep their state behind a lock.
struct Fixtures: Sendable {
    /// `ValidateSession` requests, one per session made in the set-up phase.
    var validateTemplates: [RequestTemplate] = []
    /// Accounts that log in without a second factor.
    var loginAccounts: [Credentials] = []
    /// Open challenges and a well-formed code that is not theirs.
    var wrongCodeAttempts: [(challengeID: String, wrongCode: String)] = []
    /// Accounts under enforced email MFA, one login at a time each.
    var emailAccounts: EmailAccountPool?
    /// Where the codes of email logins are read.
    var outbox: OutboxPoller?
    /// TOTP challenges and the secrets to answer them.
    var totp: TOTPPool?
}

/// Accounts for `login-email`, each lent to one operation at a time so that the newest code
/// sent to its address is the one for that operation's login.
final class EmailAccountPool: Sendable {
    struct Account: Sendable {
        let email: String
        let password: String
        /// The newest outbox message already used for this account.
        var lastMessageID: UInt64
    }

    private struct State {
        var free: [Account]
        var waiters: [@Sendable () -> Void] = []
    }

    /// The free list and the operations waiting for an account; one lock, taken by connections
    /// on any event loop.
    private let state: NIOLockedValueBox<State>

    init(_ accounts: [Account]) {
        state = NIOLockedValueBox(State(free: accounts))
    }

    /// An account, or nil when all are lent; then `whenReady` runs once one comes back.
    func checkout(whenReady: @escaping @Sendable () -> Void) -> Account? {
        state.withLockedValue { state in
            if let account = state.free.popLast() { return account }
            state.waiters.append(whenReady)
            return nil
        }
    }

    /// Gives an account back.
    func checkin(_ account: Account) {
        let waiter: (@Sendable () -> Void)? = state.withLockedValue { state in
            state.free.append(account)
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
        }
        waiter?()
    }
}

/// Reads email codes from the outbox (`ReadOutbox`, test mode) for the logins waiting for one.
/// `ReadOutbox` returns every message, so one read serves every waiter at once; reads repeat
/// only while someone waits.
final class OutboxPoller: Sendable {
    struct Message: Sendable {
        let id: UInt64
        let code: String
    }

    private struct Waiter {
        let email: String
        let after: UInt64
        let promise: EventLoopPromise<Message>
        let deadline: NIODeadline
    }

    private let client: MFAClient
    /// Logins waiting for their code, added from any event loop and served by the polling task.
    private let waiters = NIOLockedValueBox<[Waiter]>([])
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>
    /// How long a login waits for its email before it counts as `NO_CODE`.
    static let patience: TimeAmount = .seconds(10)

    init(client: MFAClient) {
        self.client = client
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The code of the first email to `email` newer than message `after`.
    func code(for email: String, after: UInt64, eventLoop: any EventLoop) -> EventLoopFuture<Message> {
        let promise = eventLoop.makePromise(of: Message.self)
        waiters.withLockedValue { $0.append(Waiter(email: email, after: after, promise: promise, deadline: .now() + Self.patience)) }
        wake.yield()
        return promise.futureResult
    }

    /// Serves waiters until `stop`; run it in a task of its own.
    func run() async {
        for await _ in wakeups {
            while !waiters.withLockedValue({ $0.isEmpty }) {
                await pollOnce()
                if !waiters.withLockedValue({ $0.isEmpty }) {
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
        }
    }

    /// Ends `run`.
    func stop() {
        wake.finish()
    }

    private func pollOnce() async {
        let messages: [OutboxMessage]
        do {
            messages = try await client.readOutbox().messages
        } catch {
            messages = []
        }
        // Newest first: the code for a login is the newest message to its address.
        var newest: [String: Message] = [:]
        for message in messages where message.channel == "email" && !message.code.isEmpty {
            if let seen = newest[message.to], seen.id >= message.id { continue }
            newest[message.to] = Message(id: message.id, code: message.code)
        }
        let now = NIODeadline.now()
        let ready: [(EventLoopPromise<Message>, Result<Message, any Error>)] = waiters.withLockedValue { waiters in
            var ready: [(EventLoopPromise<Message>, Result<Message, any Error>)] = []
            waiters.removeAll { waiter in
                if let message = newest[waiter.email], message.id > waiter.after {
                    ready.append((waiter.promise, .success(message)))
                    return true
                }
                if now > waiter.deadline {
                    ready.append((waiter.promise, .failure(MFAClientError.timeout)))
                    return true
                }
                return false
            }
            return ready
        }
        for (promise, result) in ready { promise.completeWith(result) }
    }
}

/// The TOTP challenges made in the set-up phase, handed out by a `TOTPRoundPlanner`, with the
/// clock advanced (`AdvanceClock`, test mode) between rounds so codes are never replays.
final class TOTPPool: Sendable {
    enum Take {
        case use(account: Int, challengeID: String, code: String)
        case wait
        case exhausted
    }

    struct Account: Sendable {
        let secret: [UInt8]
        var challenges: [String]
    }

    private struct State {
        var planner: TOTPRoundPlanner
        var accounts: [Account]
        var waiters: [@Sendable () -> Void] = []
        var failed = false
    }

    private let client: MFAClient
    private let totp = TOTP(parameters: .standard)
    /// The planner, the unused challenges and the waiting operations, shared by the connections
    /// of every event loop.
    private let state: NIOLockedValueBox<State>

    /// - Parameters:
    ///   - accounts: each account's secret and open challenges.
    ///   - clockUnix: the server's clock now.
    ///   - client: the connection that advances the clock.
    init(accounts: [Account], clockUnix: Int64, client: MFAClient) {
        let planner = TOTPRoundPlanner(challengesPerAccount: accounts.map(\.challenges.count),
                                       clockStep: clockUnix / TOTPParameters.standard.period)
        state = NIOLockedValueBox(State(planner: planner, accounts: accounts))
        self.client = client
    }

    /// The next challenge and its code, or `.wait` (then `whenReady` runs later), or `.exhausted`.
    func take(whenReady: @escaping @Sendable () -> Void) -> Take {
        enum Decision { case use(Int, String, [UInt8], Int64), wait, advance, exhausted }
        let decision: Decision = state.withLockedValue { state in
            if state.failed { return .exhausted }
            switch state.planner.take() {
            case .use(let account, let step):
                let challenge = state.accounts[account].challenges.removeLast()
                return .use(account, challenge, state.accounts[account].secret, step)
            case .wait:
                state.waiters.append(whenReady)
                return .wait
            case .advanceClock:
                state.waiters.append(whenReady)
                return .advance
            case .exhausted:
                return .exhausted
            }
        }
        switch decision {
        case .use(let account, let challenge, let secret, let step):
            return .use(account: account, challengeID: challenge, code: totp.code(secret: secret, step: step))
        case .wait:
            return .wait
        case .advance:
            advanceClock()
            return .wait
        case .exhausted:
            return .exhausted
        }
    }

    /// Records that the verification for `account` was answered.
    func finished(account: Int) {
        let waiter: (@Sendable () -> Void)? = state.withLockedValue { state in
            state.planner.finished(account: account)
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
        }
        waiter?()
    }

    private func advanceClock() {
        let client = self.client
        let period = TOTPParameters.standard.period
        Task {
            var waiters: [@Sendable () -> Void] = []
            do {
                let now = try await client.advanceClock(AdvanceClockRequest(seconds: UInt64(period)))
                waiters = state.withLockedValue { state in
                    state.planner.clockAdvanced(toStep: now.nowUnix / period)
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
            } catch {
                waiters = state.withLockedValue { state in
                    state.failed = true
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
            }
            for waiter in waiters { waiter() }
        }
    }
}
