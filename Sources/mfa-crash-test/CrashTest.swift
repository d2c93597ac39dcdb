import ArgumentParser
import Foundation
import MFAClient
import MFAConformance
import MFACore
import MFAWire

#if canImport(Glibc)
import Glibc
#endif

/// The crash test (issue 9, item 6): load against `mfad --test-mode` on one database, `kill -9`
/// at a random moment of each round, restart on the same file, and check that everything mfad
/// acknowledged before the kill still holds.
@main
struct CrashTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfa-crash-test",
        abstract: "Kills mfad with SIGKILL under load, restarts it on the same database, and checks that nothing acknowledged was lost.",
        discussion: """
            Each round: one connection per account drives logins, email codes, links, TOTP codes, \
            recovery codes, wrong codes and logouts; mfad is killed at a random moment; the \
            database (a copy) passes PRAGMA integrity_check; mfad restarts on the same file; every \
            acknowledged session validates, used codes and TOTP steps are refused, counters and \
            locks are where they were, and no reported outbox message is lost.
            """)

    @Argument(help: "Rounds; each ends with one kill -9.")
    var rounds = 20

    @Option(help: "Seed of the driver's choices (printed; default: random). The kill's timing still varies.")
    var seed: UInt64?

    @Option(help: "Accounts that log in with email codes.")
    var emailAccounts = 4

    @Option(help: "Accounts that log in with TOTP (and recovery codes).")
    var totpAccounts = 3

    @Option(help: "The kill comes at a random moment between 20 ms and this many milliseconds into each round's load.")
    var maxLoadMs = 1500

    @Option(help: "At most this many calls per account per round.")
    var callLimit = 40

    @Option(help: "Fails when a round would start after this many seconds; a watchdog ends the run a minute later.")
    var timeLimit = 900

    @Option(help: "The mfad executable (default: the one beside this executable).")
    var mfad: String?

    @Flag(help: "Keep the database folder (it is always kept when a check fails).")
    var keep = false

    /// The test-mode seed of mfad. It must stay the same across restarts: in test mode it also
    /// derives the master key that seals the TOTP secrets. mfad mixes its boot count into the
    /// seed itself, so a restarted server hands out new ids and tokens.
    static let mfadSeed = "1"
    static let credentials = MFAClient.Credentials(service: "crash-test", apiKey: "mfak_crash-test-key-not-a-secret")
    /// How far the clock moves between rounds: more than the ±1 step TOTP window (so each round
    /// has fresh steps), far less than a session's 12 hours.
    static let secondsBetweenRounds: UInt64 = 90

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("ROUNDS must be at least 1") }
        guard emailAccounts >= 0, totpAccounts >= 0, emailAccounts + totpAccounts >= 1 else {
            throw ValidationError("at least one account")
        }
        guard maxLoadMs >= 20 else { throw ValidationError("--max-load-ms must be at least 20") }
        guard callLimit >= 1, timeLimit >= 1 else { throw ValidationError("--call-limit and --time-limit must be positive") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let deadline = started + .seconds(timeLimit)
        let seed = self.seed ?? UInt64.random(in: 1...UInt64.max)
        var random = SplitMix64(seed: seed)
        let checks = Checks()
        let executable = mfad.map { URL(fileURLWithPath: $0) } ?? MfadProcess.buildDirectory.appendingPathComponent("mfad")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mfa-crash-test-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("mfa.sqlite")
        let arguments = ["--test-mode", "--seed", Self.mfadSeed, "--db", database.path, "--log-level", "notice"]
        say("crash test: \(rounds) rounds, \(emailAccounts) email and \(totpAccounts) TOTP accounts, seed \(seed), database \(database.path)")

        try MfadProcess.createAPIKey(service: Self.credentials.service, key: Self.credentials.apiKey, database: database.path,
                                     keyFlags: ["--test-mode", "--seed", Self.mfadSeed], executable: executable)
        let watchdog = Watchdog()
        watchdog.start(after: timeLimit + 60)
        var process = try await MfadProcess(arguments, executable: executable)
        watchdog.watch(pid: process.process.processIdentifier)
        var kills = 0
        var callsAnswered = 0
        var callsInFlight = 0
        var settled = Verifier.Settlement()

        do {
            let setupClient = try await Self.connect(process)
            var (accounts, now) = try await setUp(setupClient)
            now = try await Self.nextRound(setupClient, from: now, accounts: &accounts, checks: checks)
            await setupClient.close()

            for round in 1...rounds {
                checks.setPhase("round \(round)")
                guard ContinuousClock.now < deadline else {
                    checks.fail("time limit of \(timeLimit) s reached after \(round - 1) rounds")
                    break
                }
                checks.setPhase("round \(round) load")
                var clients: [MFAClient] = []
                for _ in accounts { clients.append(try await Self.connect(process)) }
                let killSwitch = KillSwitch()
                let context = RoundContext(now: now, checks: checks, killSwitch: killSwitch, callLimit: callLimit)
                let seeds = accounts.map { _ in random.next() }
                let delay = Int.random(in: 20...maxLoadMs, using: &random)
                let load = Task { [accounts, clients] in
                    await withTaskGroup(of: (Int, AccountLedger, Int, Bool).self) { group in
                        for index in accounts.indices {
                            group.addTask {
                                var account = accounts[index]
                                var worker = Worker(client: clients[index], context: context, seed: seeds[index])
                                await worker.run(&account)
                                return (index, account, worker.answered, worker.interrupted)
                            }
                        }
                        var results = accounts.map { ($0, 0, false) }
                        for await (index, account, answered, interrupted) in group {
                            results[index] = (account, answered, interrupted)
                        }
                        return results
                    }
                }
                // Odd rounds: the kill comes at a random moment. Even rounds: after the random
                // delay, it waits (at most 2 s) for a code check or logout to be in flight.
                try await Task.sleep(for: .milliseconds(delay))
                var aimed = false
                if round % 2 == 0 {
                    let until = ContinuousClock.now + .seconds(2)
                    while killSwitch.writesInFlight == 0 && ContinuousClock.now < until {
                        try await Task.sleep(for: .microseconds(200))
                    }
                    aimed = killSwitch.writesInFlight > 0
                }
                killSwitch.markKilled()
                let status = try await process.stop(signal: SIGKILL, timeout: .seconds(15))
                kills += 1
                let results = await load.value
                for client in clients { await client.close() }
                accounts = results.map(\.0)
                let answered = results.map(\.1).reduce(0, +)
                let inFlight = results.filter(\.2).count
                callsAnswered += answered
                callsInFlight += inFlight
                guard checks.check(status != nil && process.process.terminationReason == .uncaughtSignal,
                                   "mfad did not die of SIGKILL (status \(String(describing: status)))") else { break }

                checks.setPhase("round \(round) after the kill")
                let integrity = try Integrity.checkCopy(of: database, scratch: directory.appendingPathComponent("integrity"))
                checks.check(integrity == "ok", "PRAGMA integrity_check after the kill: \(integrity)")

                process = try await MfadProcess(arguments, executable: executable)
                watchdog.watch(pid: process.process.processIdentifier)
                checks.setPhase("round \(round) after the restart")
                let client = try await Self.connect(process)
                let settlement = try await Verifier(client: client, checks: checks, now: now).verify(&accounts, random: &random)
                settled.applied += settlement.applied
                settled.notApplied += settlement.notApplied
                settled.other += settlement.other
                now = try await Self.nextRound(client, from: now, accounts: &accounts, checks: checks)
                await client.close()
                say("round \(round): killed after \(delay) ms\(aimed ? " with a state change in flight" : ""); \(answered) calls answered, \(inFlight) in flight at the kill "
                      + "(\(settlement.description)); restarted and verified (\(checks.passed) checks passed, \(checks.failed) failed so far)")
                    }

            checks.setPhase("final shutdown")
            let status = try await process.stop(signal: SIGTERM, timeout: .seconds(15))
            checks.check(status == 0, "mfad did not stop cleanly on SIGTERM (status \(String(describing: status)))")
            let integrity = try Integrity.run(database: database)
            checks.check(integrity == "ok", "PRAGMA integrity_check after the last shutdown: \(integrity)")
        } catch {
            checks.fail("the run stopped: \(error)")
        }

        if process.process.isRunning { _ = try? await process.stop(signal: SIGKILL) }
        let seconds = (ContinuousClock.now - started).components.seconds
        say("crash test: \(kills) kills in \(seconds) s, \(callsAnswered) calls answered under load, "
              + "\(callsInFlight) in flight at a kill (\(settled.description)); seed \(seed)")
        if checks.failed > 0 {
            say("mfad log (last lines):\n\(process.log.suffix(3000))")
            say("database kept in \(directory.path)")
        } else if keep {
            say("database kept in \(directory.path)")
        } else {
            try? FileManager.default.removeItem(at: directory)
        }
        say("crash-test: \(checks.passed) passed, \(checks.failed) failed")
        if checks.failed > 0 { throw ExitCode(1) }
    }

    // MARK: Setup

    static func connect(_ process: MfadProcess) async throws(MFAClientError) -> MFAClient {
        var configuration = MFAClient.Configuration()
        configuration.credentials = credentials
        configuration.callTimeout = .seconds(20)
        // ReadOutbox lists every message ever queued; a long run queues some hundreds.
        configuration.maximumFrameLength = 64 << 20
        return try await MFAClient.connect(host: "127.0.0.1", port: process.port, configuration: configuration)
    }

    /// Enforces MFA from the start of the test clock, creates the accounts (contacts confirmed),
    /// and enrols TOTP for the TOTP accounts.
    /// - Returns: the ledgers and the clock's time.
    private func setUp(_ client: MFAClient) async throws -> ([AccountLedger], Int64) {
        _ = try await client.setEnforcementPolicy(SetEnforcementPolicyRequest(workspace: "", enforceFromUnix: Timestamp.testModeStart.unixSeconds))
        let now = try await client.advanceClock(AdvanceClockRequest(seconds: 0)).nowUnix
        var accounts: [AccountLedger] = []
        for index in 0..<(emailAccounts + totpAccounts) {
            let method: Method = index < emailAccounts ? .email : .totp
            let email = "crash-\(method.rawValue)-\(index)@example.com"
            let phone = "+4179100" + String(index).leftPadded(to: 4)
            let password = "crash test password \(index)"
            let created = try await client.createAccount(CreateAccountRequest(email: email, password: password, phone: phone,
                                                                              plan: "pro", workspace: "crash"))
            var account = AccountLedger(id: created.accountID, email: email, phone: phone, password: password, method: method)
            account.codeEmailsAcknowledged = 1  // the sign-up email
            let outbox = try await client.readOutbox().messages
            account.recordOutbox(outbox)
            for (channel, address) in [("email", email), ("sms", phone)] {
                guard let message = outbox.last(where: { $0.to == address && $0.channel == channel && !$0.code.isEmpty }) else {
                    throw SetupFailure(description: "no \(channel) confirmation code for \(address)")
                }
                _ = try await client.verifyContact(VerifyContactRequest(accountID: account.id, channel: channel, code: message.code))
            }
            if method == .totp { try await enrolTOTP(&account, client: client, now: now) }
            accounts.append(account)
        }
        return (accounts, now)
    }

    /// An email-code login for a session, then `BeginTotpEnrollment` and `ConfirmTotpEnrollment`.
    private func enrolTOTP(_ account: inout AccountLedger, client: MFAClient, now: Int64) async throws {
        let login = try await client.login(LoginRequest(email: account.email, password: account.password, clientInfo: "crash-setup"))
        account.codeEmailsAcknowledged += 1
        let outbox = try await client.readOutbox().messages
        account.recordOutbox(outbox)
        guard let email = outbox.last(where: { $0.to == account.email && $0.channel == "email" && !$0.code.isEmpty }) else {
            throw SetupFailure(description: "no login email for \(account.email)")
        }
        let session = try await client.verifyMfa(VerifyMfaRequest(challengeID: login.challengeID, code: email.code)).sessionToken
        account.sessions.append(session)
        account.usedEmailCodes.append(UsedEmailCode(challengeID: login.challengeID, code: email.code, linkToken: email.linkToken, usedAt: now))
        let enrolment = try await client.beginTotpEnrollment(BeginTotpEnrollmentRequest(sessionToken: session, password: account.password))
        guard let secret = Base32.decode(enrolment.secret) else {
            throw SetupFailure(description: "the TOTP secret \(enrolment.secret.count) characters long is not base32")
        }
        account.totpSecret = secret
        let step = Worker.totp.step(at: Timestamp(unixSeconds: now))
        let codes = try await client.confirmTotpEnrollment(ConfirmTotpEnrollmentRequest(
            sessionToken: session, enrollmentID: enrolment.enrollmentID, code: Worker.totp.code(secret: secret, step: step))).recoveryCodes
        guard codes.count == 10 else { throw SetupFailure(description: "\(codes.count) recovery codes, expected 10") }
        account.unusedRecoveryCodes = codes
        account.lastAttemptedStep = step
    }

    /// Moves the clock to the next round's time; the ledger's per-round audit counts start again.
    private static func nextRound(_ client: MFAClient, from now: Int64, accounts: inout [AccountLedger],
                                  checks: Checks) async throws(MFAClientError) -> Int64 {
        let next = try await client.advanceClock(AdvanceClockRequest(seconds: secondsBetweenRounds)).nowUnix
        checks.check(next == now + Int64(secondsBetweenRounds), "AdvanceClock answered \(next), expected \(now + Int64(secondsBetweenRounds))")
        for index in accounts.indices { accounts[index].auditCounts = [:] }
        return next
    }
}

struct SetupFailure: Error, CustomStringConvertible {
    let description: String
}
