import Foundation
import MFAClient
import MFAConformance
import MFAStore
import MFAWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SPEC 7 through the real `mfad`: metrics and health over HTTP, JSON logs, graceful stop under
/// load, online backup.
@Suite(.serialized) struct OperationsTests {
    @Test(.timeLimit(.minutes(2)))
    func metricsCountEveryRPCByOutcomeWhileTrafficFlows() async throws {
        let metricsPort = try MfadProcess.freePort()
        try await withMfad(extraArguments: ["--metrics-port", "\(metricsPort)"]) { mfad in
            let account = try await mfad.enforcedAccount()
            let first = try await scrapeMetrics(port: metricsPort)
            let pingsBefore = first.value("mfad_requests_total", ["rpc": "Ping", "outcome": "OK"]) ?? 0
            #expect(first.value("mfad_requests_total", ["rpc": "CreateAccount", "outcome": "OK"]) == 1)
            #expect(first.value("mfad_connections_open") ?? 0 >= 1)

            // Traffic on four more connections while scraping: the Ping counter moves between scrapes.
            let connections = try await mfad.connections(4)
            var previous = pingsBefore
            for round in 1...3 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for client in connections {
                        group.addTask {
                            for index in 0..<25 { _ = try await client.ping(PingRequest(payload: Array("\(round)-\(index)".utf8))) }
                        }
                    }
                    try await group.waitForAll()
                }
                let scrape = try await scrapeMetrics(port: metricsPort)
                let pings = try #require(scrape.value("mfad_requests_total", ["rpc": "Ping", "outcome": "OK"]))
                #expect(pings >= previous + 100, "round \(round): \(previous) -> \(pings)")
                previous = pings
                #expect(scrape.value("mfad_connections_open") ?? 0 >= 5)
            }

            // Outcomes are error codes; the lock is counted from the audit trail.
            let challenge = try await mfad.loginForCode(account)
            await mfad.lock(challenge)
            _ = try? await mfad.client.login(LoginRequest(email: account.email, password: "not the password"))
            let unauthenticated = try await mfad.process.client()
            await #expect(throws: MFAClientError.self) { try await unauthenticated.ping(PingRequest(payload: [])) }
            await unauthenticated.close()

            let last = try await scrapeMetrics(port: metricsPort)
            #expect(last.value("mfad_requests_total", ["rpc": "VerifyMfa", "outcome": "INVALID_CODE"]) == 2)
            #expect(last.value("mfad_requests_total", ["rpc": "VerifyMfa", "outcome": "LOCKED"]) == 1)
            #expect(last.value("mfad_requests_total", ["rpc": "Login", "outcome": "INVALID_CREDENTIALS"]) == 1)
            #expect(last.value("mfad_requests_total", ["rpc": "Login", "outcome": "OK"]) == 1)
            #expect(last.value("mfad_request_duration_seconds_count", ["rpc": "Login", "outcome": "OK"]) == 1)
            #expect(last.value("mfad_request_duration_seconds_bucket", ["rpc": "Ping", "outcome": "OK", "le": "+Inf"]) ?? 0 >= 300)
            #expect(last.value("mfad_requests_rejected_total", ["code": "UNAUTHENTICATED"]) == 1)
            #expect(last.value("mfad_lockouts_total", ["kind": "temporary"]) == 1)
            #expect(last.value("mfad_lockouts_total", ["kind": "until_support"]) == 0)
            #expect(last.value("mfad_requests_in_flight") == 0)
            #expect(last.value("mfad_outbox_messages", ["state": "held"]) ?? 0 >= 3)  // two sign-up codes, one login email
            #expect(last.value("mfad_password_hash_queue_wait_seconds_count") ?? 0 >= 3)
            #expect(last.value("mfad_database_committed_writes_total") ?? 0 >= 5)
            #expect(last.value("mfad_build_info") == 1)
            // Nothing about the requests' contents reaches the metrics.
            for secret in [account.email, account.password, challenge.code, challenge.id, MFAClient.Credentials.endToEnd.apiKey] {
                #expect(!last.text.contains(secret))
            }
        }
    }

    /// An SMTP server that refuses connections: the worker's failed attempts show in the metrics.
    @Test(.timeLimit(.minutes(3)))
    func deliveryFailuresAreCounted() async throws {
        let metricsPort = try MfadProcess.freePort()
        let closedPort = try MfadProcess.freePort()  // nothing listens there
        try await withMfad(.outsideTestMode, extraArguments: [
            "--metrics-port", "\(metricsPort)", "--smtp-url", "smtp://127.0.0.1:\(closedPort)",
            "--mail-from", "mfad <no-reply@example.com>", "--delivery-retry-base", "60",
        ]) { mfad in
            _ = try await mfad.client.createAccount(CreateAccountRequest(
                email: "undelivered@example.com", password: defaultPassword, phone: "+41791234567", plan: "pro", workspace: "acme"))
            var metrics = try await scrapeMetrics(port: metricsPort)
            // The counter moves when the attempt fails, the outbox row once the retry is recorded.
            for _ in 0..<100 where metrics.value("mfad_delivery_failures_total", ["channel": "email"]) == nil
                || metrics.value("mfad_outbox_failed_delivery_attempts", ["channel": "email"]) != 1 {
                try await Task.sleep(for: .milliseconds(100))
                metrics = try await scrapeMetrics(port: metricsPort)
            }
            #expect(metrics.value("mfad_delivery_failures_total", ["channel": "email", "final": "false"]) == 1)
            #expect(metrics.value("mfad_outbox_failed_delivery_attempts", ["channel": "email"]) == 1)
            #expect(metrics.value("mfad_outbox_messages", ["state": "queued"]) == 1)  // waiting for its retry
            #expect(metrics.value("mfad_deliveries_total", ["channel": "email"]) == nil)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func readinessFailsWhileTheDatabaseFileIsGoneAndLivenessStaysUp() async throws {
        let metricsPort = try MfadProcess.freePort()
        try await withMfad(.outsideTestMode, extraArguments: ["--metrics-port", "\(metricsPort)"]) { mfad in
            #expect(try await httpGet(port: metricsPort, path: "/healthz").status == 200)
            let ready = try await httpGet(port: metricsPort, path: "/readyz")
            #expect(ready.status == 200 && ready.body == "ready\n")

            // The file moved away under the running server: its connections still work, but a
            // restart would not find it, so the instance must leave the load balancer.
            let moved = mfad.databasePath + ".moved"
            #expect(rename(mfad.databasePath, moved) == 0)
            let notReady = try await httpGet(port: metricsPort, path: "/readyz")
            #expect(notReady.status == 503)
            #expect(notReady.body.hasPrefix("not ready: the database does not answer"))
            #expect(try await httpGet(port: metricsPort, path: "/healthz").status == 200)

            #expect(rename(moved, mfad.databasePath) == 0)
            #expect(try await httpGet(port: metricsPort, path: "/readyz").status == 200)

            let unknown = try await httpGet(port: metricsPort, path: "/admin")
            #expect(unknown.status == 404)
            let metrics = try await httpGet(port: metricsPort, path: "/metrics")
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func jsonLogLinesParseAndHoldNoSecret() async throws {
        try await withMfad(extraArguments: ["--log-format", "json", "--log-level", "trace"]) { mfad in
            let account = try await mfad.enforcedAccount("jason@example.com")
            let challenge = try await mfad.loginForCode(account)
            let session = try await mfad.verifyCorrect(challenge)
            _ = try await mfad.validate(session.sessionToken)
            _ = try? await mfad.client.login(LoginRequest(email: account.email, password: "wrong password 1234"))

            // The last request's line may still be on its way through the pipe.
            var log = mfad.process.log
            for _ in 0..<100 where !log.contains(#""outcome":"INVALID_CREDENTIALS""#) {
                try await Task.sleep(for: .milliseconds(50))
                log = mfad.process.log
            }
            let lines = log.split(separator: "\n")
            #expect(lines.count > 10)
            var requestLines = 0
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                #expect(object["time"] is String && object["level"] is String && object["label"] is String && object["message"] is String)
                if object["message"] as? String == "request", let metadata = object["metadata"] as? [String: Any] {
                    requestLines += 1
                    #expect(metadata["rpc"] is String && metadata["outcome"] is String && metadata["duration_ms"] is String)
                }
            }
            #expect(requestLines >= 8)
            #expect(log.contains(#""rpc":"VerifyMfa""#) && log.contains(#""outcome":"INVALID_CREDENTIALS""#))
            for secret in [account.password, "wrong password 1234", challenge.code, challenge.linkToken, session.sessionToken,
                           MFAClient.Credentials.endToEnd.apiKey] {
                #expect(!log.contains(secret), "the log holds a secret")
            }
        }
    }

    /// Six connections each pipeline 60 requests (pings, and Argon2id logins that keep the
    /// hashing threads busy); SIGTERM arrives once each has its first answer back. Every request sent
    /// is answered, with its result or UNAVAILABLE, and mfad exits 0 within the grace period.
    /// With 128 in flight per connection every request is already dispatched when the signal
    /// comes (the drain finishes them); with 1, most still wait to be read and get UNAVAILABLE.
    @Test(.timeLimit(.minutes(2)), arguments: [128, 1])
    func sigtermDuringAPipelinedBurstAnswersEveryRequestAndExitsZeroInTime(maxInFlight: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-drain-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let grace = 10
        let mfad = try await MfadProcess(["--dev", "--db", directory.appendingPathComponent("mfa.sqlite").path,
                                          "--shutdown-grace", "\(grace)", "--max-in-flight", "\(maxInFlight)"])
        let port = mfad.port
        let perConnection = 60
        let connections = try (0..<6).map { _ in OwnedConnection(try FrameConnection(port: port, timeoutSeconds: 30)) }
        for (number, owned) in connections.enumerated() {
            let connection = owned.connection
            var bytes: [UInt8] = []
            for index in 0..<perConnection {
                let call: Request.Call = index % 6 == 0
                    ? .login(LoginRequest(email: "nobody-\(number)-\(index)@example.com", password: "some password"))
                    : .ping(PingRequest(payload: Array("\(number)/\(index)".utf8)))
                let body = try Request(id: UInt64(index + 1), protocolVersion: ProtocolVersion.current, call: call).serializedBytes()
                bytes += ScenarioSession.lengthPrefix(body.count) + body
            }
            try connection.send(bytes)
        }
        // One answer on every connection first: a connection still in the kernel's accept queue
        // when the listener closes is reset, which is not what this test is about.
        var firstAnswers: [[UInt8]] = []
        for owned in connections {
            firstAnswers.append(try await blocking { try owned.connection.readFrame() })
        }
        let signalled = ContinuousClock.now
        kill(mfad.process.processIdentifier, SIGTERM)

        let answers = try await withThrowingTaskGroup(of: [Response].self) { group in
            for (owned, firstAnswer) in zip(connections, firstAnswers) {
                group.addTask {
                    try await blocking {
                        let connection = owned.connection
                        var responses = [try Response(serializedBytes: Array(firstAnswer.dropFirst(4)))]
                        while responses.count < perConnection {
                            guard let frame = try? connection.readFrame() else { break }  // closed: the rest is unanswered
                            responses.append(try Response(serializedBytes: Array(frame.dropFirst(4))))
                        }
                        return responses
                    }
                }
            }
            var all: [[Response]] = []
            for try await responses in group { all.append(responses) }
            return all
        }
        var unavailable = 0
        for responses in answers {
            #expect(Set(responses.map(\.id)) == Set((1...perConnection).map(UInt64.init)), "every request sent gets an answer")
            for response in responses {
                switch response.result {
                case .ping, .error(ErrorDetails(code: .invalidCredentials, message: "The email or password is incorrect.")):
                    break
                case .error(let error) where error.code == .unavailable:
                    unavailable += 1
                default:
                    Issue.record("unexpected answer to request \(response.id): \(response.textFormat)")
                }
            }
        }
        let status = try await mfad.waitForExit(timeout: .seconds(grace + 10))
        let stoppedAfter = ContinuousClock.now - signalled
        #expect(status == 0)
        #expect(stoppedAfter < .seconds(grace + 5), "stopped after \(stoppedAfter)")
        try await Task.sleep(for: .milliseconds(100))  // the last log lines
        #expect(mfad.log.contains("database closed; exiting"))
        if maxInFlight == 1 {
            #expect(unavailable > 0, "requests read after the drain began are refused, not dropped")
        }
    }

    /// With more work in flight than `--shutdown-grace` allows (200 Argon2id logins on two hashing
    /// threads take seconds), the stop still ends at the deadline: connections are closed, the
    /// database is closed, and mfad exits 0.
    @Test(.timeLimit(.minutes(3)))
    func theGracePeriodBoundsTheStop() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-grace-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let mfad = try await MfadProcess(["--dev", "--db", directory.appendingPathComponent("mfa.sqlite").path,
                                          "--shutdown-grace", "1"])
        let connections = try (0..<4).map { _ in OwnedConnection(try FrameConnection(port: mfad.port, timeoutSeconds: 30)) }
        for (number, owned) in connections.enumerated() {
            var bytes: [UInt8] = []
            for index in 0..<50 {
                let login = LoginRequest(email: "slow-\(number)-\(index)@example.com", password: "some password")
                let body = try Request(id: UInt64(index + 1), protocolVersion: ProtocolVersion.current, call: .login(login)).serializedBytes()
                bytes += ScenarioSession.lengthPrefix(body.count) + body
            }
            try owned.connection.send(bytes)
        }
        let first = connections[0]
        _ = try await blocking { try first.connection.readFrame() }
        let signalled = ContinuousClock.now
        kill(mfad.process.processIdentifier, SIGTERM)
        let status = try await mfad.waitForExit(timeout: .seconds(20))
        let stoppedAfter = ContinuousClock.now - signalled
        #expect(status == 0)
        #expect(stoppedAfter >= .milliseconds(900) && stoppedAfter < .seconds(4), "stopped after \(stoppedAfter)")
        try await Task.sleep(for: .milliseconds(100))
        #expect(mfad.log.contains("database closed; exiting"))
    }

    /// `mfad backup` twice while three connections create accounts: each copy opens, passes
    /// `PRAGMA integrity_check`, is at the current schema, and holds every account acknowledged
    /// before the backup began (one consistent snapshot, taken without stopping the server).
    @Test(.timeLimit(.minutes(3)))
    func backupDuringLoadIsConsistent() async throws {
        try await withMfad(.outsideTestMode) { mfad in
            let acknowledged = AcknowledgedCounter()
            let clients = try await mfad.connections(3)
            let load = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (number, client) in clients.enumerated() {
                        group.addTask {
                            var index = 0
                            while !Task.isCancelled {
                                _ = try await client.createAccount(CreateAccountRequest(
                                    email: "load-\(number)-\(index)@example.com", password: defaultPassword,
                                    phone: "+41791234567", plan: "pro", workspace: "acme"))
                                acknowledged.add()
                                index += 1
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            defer { load.cancel() }
            for round in 1...2 {
                try await Task.sleep(for: .milliseconds(700))
                let before = acknowledged.count
                let path = mfad.directory.appendingPathComponent("backup-\(round).sqlite").path
                let result = try await runMfad(["backup", path, "--db", mfad.databasePath])
                #expect(result.status == 0, "\(result.standardError)")
                #expect(result.standardOutput.contains("integrity_check ok"))
                let copy = try SQLiteConnection(path: path, mode: .readOnly)
                #expect(try copy.query("PRAGMA integrity_check").map { try $0.string(0) } == ["ok"])
                #expect(try copy.queryOne("SELECT max(version) FROM schema_migrations")?.int(0) == SQLiteMFAStorage.schemaVersion)
                let accounts = try copy.queryOne("SELECT count(*) FROM accounts")?.int(0) ?? 0
                #expect(accounts >= before, "round \(round): \(accounts) accounts in the copy, \(before) acknowledged before it")
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                #expect((attributes[.posixPermissions] as? Int) == 0o600)
            }
            #expect(acknowledged.count > 0)
            load.cancel()
            _ = await load.result

            // A backup never overwrites a file.
            let again = try await runMfad(["backup", mfad.directory.appendingPathComponent("backup-1.sqlite").path,
                                           "--db", mfad.databasePath])
            #expect(again.status != 0 && again.standardError.contains("already exists"))
        }
    }
}

/// How many writes the server acknowledged, counted from several tasks.
final class AcknowledgedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}

/// A blocking connection handed to one reader thread at a time (first the sender, then the
/// thread that reads its answers), never used by two at once.
struct OwnedConnection: @unchecked Sendable {
    let connection: FrameConnection
    init(_ connection: FrameConnection) { self.connection = connection }
}
