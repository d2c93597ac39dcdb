import ArgumentParser
import Foundation
import MFAClient
import MFALoad
import MFAWire
import NIOCore
import NIOPosix

/// `mfa-load`: drives an mfad server with many pipelined connections and a mix of scenarios,
/// then reports throughput, errors and latency percentiles.
@main
struct MFALoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfa-load",
        abstract: "Drive an mfad server with a mix of RPCs and report throughput and latency.",
        discussion: """
        Scenarios: ping, validate-session, login, login-email, totp, wrong-code. Every scenario but ping
        needs a server in test mode (mfad --test-mode): the set-up phase reads confirmation and login codes
        with ReadOutbox, and totp advances the clock with AdvanceClock. A run is always bounded: give
        --duration, --requests, or both. Closed loop by default (each slot sends its next operation when the
        previous one is answered); --rate makes it open loop, with latency measured from each operation's
        intended start. Progress goes to stderr once a second, the summary to stdout.
        """
    )

    @Option(help: "Server address HOST:PORT (env MFAD_ADDR). Default 127.0.0.1:7370.")
    var server: String?

    @Option(help: "Connections.")
    var connections = 8

    @Option(help: "Operations in flight per connection.")
    var inFlight = 4

    @Option(help: "How long to measure: 10, 10s, 500ms, 2m.")
    var duration: String?

    @Option(help: "How many operations to measure.")
    var requests: Int?

    @Option(help: "Open loop: operations per second for the whole run (default: closed loop).")
    var rate: Double?

    @Option(help: "Scenarios and weights, e.g. ping:80,validate-session:20.")
    var mix = "ping"

    @Option(help: "Seconds of load before measuring (not counted in --duration or --requests).")
    var warmup: String = "0"

    @Option(help: "Write the summary as JSON to this file.")
    var json: String?

    @Option(help: "Event-loop threads of the load generator.")
    var threads = 1

    @Option(help: "Sessions made for validate-session.")
    var sessions = 32

    @Option(help: "Accounts made for login (trial plan: no second factor).")
    var loginAccounts = 8

    @Option(help: "Accounts made for wrong-code (each with one open challenge).")
    var wrongCodeAccounts = 4

    @Option(help: "Accounts made for login-email; default: one per slot (connections x in-flight, at most 256).")
    var emailAccounts: Int?

    @Option(help: "Accounts with TOTP enrolled for totp.")
    var totpAccounts = 100

    @Option(help: "TOTP challenges made in the set-up phase (one password hash each); default: --requests, or 1000.")
    var totpChallenges: Int?

    @Option(help: "What the server is, for the report: mfad or echo.")
    var target = "mfad"

    @Option(help: "A shell command run after the set-up phase, before the measured one (scripts/bench pins the server with it).")
    var afterSetup: String?

    @Flag(help: "No progress lines.")
    var quiet = false

    @Option(help: "The calling service's name (env MFAD_SERVICE). Needed unless the server runs with --dev.")
    var service: String?

    @Option(help: "The service's API key from 'mfad keys create' (prefer env MFAD_API_KEY: flags show in the process list).")
    var apiKey: String?

    /// The credentials every connection authenticates with, from the flags or the environment.
    func credentials() throws -> MFAClient.Credentials? {
        do {
            return try MFAClient.Credentials.fromCommandLine(service: service, apiKey: apiKey) { name in
                ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
            }
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        guard connections >= 1, connections <= 10_000 else { throw ValidationError("--connections must be 1 to 10000") }
        guard inFlight >= 1, inFlight <= 10_000 else { throw ValidationError("--in-flight must be 1 to 10000") }
        guard threads >= 1, threads <= 64 else { throw ValidationError("--threads must be 1 to 64") }
        if let rate { guard rate > 0, rate <= 10_000_000 else { throw ValidationError("--rate must be more than 0 and at most 10000000") } }
        guard parseSeconds(warmup).map({ $0 >= 0 && $0 <= 600 }) == true else { throw ValidationError("--warmup must be 0 to 600 seconds") }
        if let duration, parseSeconds(duration) == nil { throw ValidationError("--duration: '\(duration)' is not a duration (10, 10s, 500ms, 2m)") }
        do {
            _ = try RunBounds(durationSeconds: duration.flatMap(parseSeconds), operations: requests)
            _ = try Mix(parsing: mix)
        } catch let error as RunBoundsError {
            throw ValidationError(error.description)
        } catch let error as MixError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let bounds = try RunBounds(durationSeconds: duration.flatMap(parseSeconds), operations: requests)
        let mix = try Mix(parsing: mix)
        let address = server ?? ProcessInfo.processInfo.environment["MFAD_ADDR"] ?? "127.0.0.1:\(ProtocolVersion.defaultPort)"
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ValidationError("--server must be HOST:PORT, got '\(address)'")
        }
        let host = String(address[..<colon])
        let warmupSeconds = parseSeconds(warmup) ?? 0
        let quiet = self.quiet
        let log: @Sendable (String) -> Void = { line in if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) } }

        let credentials = try credentials()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)

        // Set-up: what the scenarios need, made through the protocol.
        var fixtures = Fixtures()
        var helpers: [MFAClient] = []
        if mix.scenarios.contains(where: { $0 != .ping }) {
            let setupStart = ContinuousClock.now
            var outboxConfiguration = MFAClient.Configuration()
            outboxConfiguration.maximumFrameLength = 1 << 30
            outboxConfiguration.callTimeout = .seconds(120)
            outboxConfiguration.credentials = credentials
            let outboxClient = try await MFAClient.connect(host: host, port: port, configuration: outboxConfiguration, eventLoopGroup: group)
            var clients: [MFAClient] = []
            var setupConfiguration = MFAClient.Configuration()
            setupConfiguration.callTimeout = .seconds(120)
            setupConfiguration.credentials = credentials
            for _ in 0..<4 { clients.append(try await MFAClient.connect(host: host, port: port, configuration: setupConfiguration, eventLoopGroup: group)) }
            helpers = clients + [outboxClient]
            let setup = SetUp(clients: clients, outboxClient: outboxClient,
                              tag: String(UInt32.random(in: 0...UInt32.max), radix: 36), log: log)
            do {
                let now = try await setup.clockNow()
                if mix.scenarios.contains(.loginEmail) || mix.scenarios.contains(.wrongCode) {
                    try await setup.enforceEmailMFA(now: now)
                }
                for scenario in mix.scenarios {
                    switch scenario {
                    case .ping: break
                    case .validateSession: fixtures.validateTemplates = try await setup.sessions(sessions)
                    case .login:
                        fixtures.loginAccounts = try await setup.confirmedAccounts(
                            loginAccounts, kind: "login", plan: "trial", workspace: SetUp.plainWorkspace)
                    case .wrongCode: fixtures.wrongCodeAttempts = try await setup.wrongCodeAttempts(wrongCodeAccounts)
                    case .loginEmail:
                        fixtures.emailAccounts = try await setup.emailAccounts(emailAccounts ?? min(256, connections * inFlight))
                        let poller = OutboxPoller(client: outboxClient)
                        fixtures.outbox = poller
                        Task { await poller.run() }
                    case .totp:
                        let challenges = totpChallenges ?? requests.map { Int((Double($0) * mix.share(of: .totp)).rounded(.up)) } ?? 1000
                        fixtures.totp = try await setup.totpPool(accounts: min(totpAccounts, max(1, challenges)),
                                                                 challenges: challenges, now: now)
                    }
                }
            } catch let error as MFAClientError {
                if error.code == .unimplemented {
                    throw SetUpError(description: "the server does not answer ReadOutbox/AdvanceClock: scenarios other than ping need mfad --test-mode (\(error))")
                }
                throw SetUpError(description: "set-up failed: \(error)")
            }
            log("set-up done in \(ContinuousClock.now - setupStart)")
        }

        if let afterSetup {
            let hook = Process()
            hook.executableURL = URL(fileURLWithPath: "/bin/sh")
            hook.arguments = ["-c", afterSetup]
            try hook.run()
            hook.waitUntilExit()
            guard hook.terminationStatus == 0 else {
                throw SetUpError(description: "--after-setup command exited with status \(hook.terminationStatus)")
            }
        }

        // Connections, each with its share of the rate and of the operations.
        let start = NIODeadline.now() + .milliseconds(50)
        let warmupAmount = TimeAmount.nanoseconds(Int64(warmupSeconds * 1e9))
        let endOffset = bounds.durationSeconds.map { TimeAmount.nanoseconds(Int64(($0 + warmupSeconds) * 1e9)) }
        let schedules = rate.map { ArrivalSchedule.split(rate: $0, into: connections) }
        let pingTemplate = try RequestTemplate(.ping(PingRequest(payload: Array(repeating: 0x2A, count: 16))))
        let loops = (0..<threads).map { _ in group.next() }
        var states: [NIOLoopBoundBox<LoopState>] = []
        for loop in loops {
            states.append(NIOLoopBoundBox.makeBoxSendingValue(
                LoopState(mix: mix, recordFrom: start + warmupAmount, pingTemplate: pingTemplate), eventLoop: loop))
        }
        var channels: [any Channel] = []
        var authentications: [EventLoopFuture<Void>] = []
        var dones: [EventLoopFuture<Void>] = []
        // Promises that only a started connection completes; a run that fails before the start
        // completes them itself (a later completion is ignored), and closes what it opened.
        var unstarted: [EventLoopPromise<Void>] = []
        func abandon(_ reason: String) async -> SetUpError {
            for channel in channels { try? await channel.close() }
            for promise in unstarted { promise.succeed(()) }
            for client in helpers { await client.close() }
            return SetUpError(description: reason)
        }
        for index in 0..<connections {
            let loop = loops[index % loops.count]
            let state = states[index % loops.count]
            let done = loop.makePromise(of: Void.self)
            dones.append(done.futureResult)
            let share = bounds.operations.map { $0 / connections + (index < $0 % connections ? 1 : 0) }
            if share == 0 { done.succeed(()); continue }
            let plan = ConnectionPlan(inFlight: inFlight, schedule: schedules?[index], operations: share,
                                      endOffset: endOffset, warmup: warmupAmount)
            let fixtures = fixtures
            unstarted.append(done)
            let authenticated = credentials.map { _ in loop.makePromise(of: Void.self) }
            if let authenticated {
                authentications.append(authenticated.futureResult)
                unstarted.append(authenticated)
            }
            let bootstrap = ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            FrameDecodingHandler(maximumFrameLength: 1 << 24, frameTimeout: nil))
                        if let credentials, let authenticated {
                            try channel.pipeline.syncOperations.addHandler(
                                LoadAuthenticator(credentials: credentials, authenticated: authenticated))
                        }
                        try channel.pipeline.syncOperations.addHandler(
                            LoadConnection(loop: state.value, fixtures: fixtures, plan: plan, done: done))
                    }
                }
            do {
                channels.append(try await bootstrap.connect(host: host, port: port).get())
            } catch {
                throw await abandon("could not connect to \(address): \(error)")
            }
        }
        for authentication in authentications {
            do {
                try await authentication.get()
            } catch {
                throw await abandon("a load connection could not authenticate: \(error)")
            }
        }
        for channel in channels { channel.pipeline.fireUserInboundEventTriggered(StartLoad(start: start)) }

        // Progress once a second until every connection is done.
        let allDone = EventLoopFuture.andAllComplete(dones, on: group.next())
        let loopStates = states
        let openChannels = channels
        let progress = Task {
            var previous = (requests: 0, operations: 0, errors: 0)
            var second = 0
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(1))
                second += 1
                var now = (requests: 0, operations: 0, errors: 0, inFlight: 0)
                for (index, loop) in loops.enumerated() {
                    let state = loopStates[index]
                    let counts = try await loop.submit { (state.value.requests, state.value.operations, state.value.errors, state.value.inFlight) }.get()
                    now.requests += counts.0; now.operations += counts.1; now.errors += counts.2; now.inFlight += counts.3
                }
                log(LoadReport.progressLine(second: second, requests: now.requests - previous.requests,
                                            operations: now.operations - previous.operations,
                                            errors: now.errors - previous.errors, inFlight: now.inFlight))
                previous = (now.requests, now.operations, now.errors)
            }
        }
        // Bounded even if the server stops answering: close the connections after a grace period.
        let limit = (bounds.durationSeconds ?? 3_600) + warmupSeconds + 30
        let watchdog = Task {
            try await Task.sleep(for: .seconds(limit))
            for channel in openChannels { channel.close(promise: nil) }
        }
        try await allDone.get()
        watchdog.cancel()
        progress.cancel()
        fixtures.outbox?.stop()
        for channel in channels { try? await channel.close() }
        for client in helpers { await client.close() }

        // Merge the loops' stats.
        var merged: [Scenario: ScenarioStats] = [:]
        var lastAnswer = start + warmupAmount
        var allRequests = 0
        for (index, loop) in loops.enumerated() {
            let state = states[index]
            let (stats, last, requests) = try await loop.submit { (state.value.stats, state.value.lastAnswer, state.value.requests) }.get()
            for (scenario, s) in stats { merged[scenario, default: ScenarioStats()].merge(s) }
            if let last, last > lastAnswer { lastAnswer = last }
            allRequests += requests
        }
        try? await group.shutdownGracefully()
        let elapsed = Double((lastAnswer - (start + warmupAmount)).nanoseconds) / 1e9
        var report = LoadReport(
            settings: .init(server: address, target: target, mix: mix.description, connections: connections, inFlight: inFlight,
                            rate: rate, durationSeconds: bounds.durationSeconds, operationsLimit: bounds.operations),
            elapsedSeconds: elapsed, stats: merged)
        report.requestsIncludingWarmup = allRequests
        print(report.text)
        if let json {
            try report.json().write(to: URL(fileURLWithPath: json))
        }
        if report.operations == 0 { throw ExitCode(1) }
    }
}
