import Foundation
import MFAClient
import MFAConformance
import MFAWire
import Testing

/// Issue 9, item 7: attacks through the real server over TCP. Parallel guessing never gets more
/// than the attempt limit checked, a TOTP code is accepted once however many connections race it,
/// codes and sessions are bound to their account, a replayed TOTP code answers exactly like a
/// wrong one, and no response or log line carries a secret.
@Suite(.serialized) struct AttackTests {
    // MARK: Parallel guessing

    /// 10 connections × 20 wrong codes at once for one challenge: exactly 3 are checked.
    @Test func parallelWrongCodesOnManyConnectionsNeverExceedTheAttemptLimit() async throws {
        try await withMfad { mfad in
            let account = try await mfad.enforcedAccount()
            let challenge = try await mfad.loginForCode(account)
            let clients = try await mfad.connections(10)

            let answers = await verifyAtOnce(clients, challenge: challenge,
                                             codesPerConnection: Array(repeating: challenge.wrongCode, count: 20))

            #expect(answers.count == 200)
            #expect(answers.filter(\.succeeded).isEmpty)
            let invalid = answers.compactMap { $0.error?.code == .invalidCode ? $0.error : nil }
            #expect(invalid.map(\.attemptsRemaining).sorted() == [1, 2])
            #expect(answers.filter { $0.error?.isLocked(retryAfter: 300) == true }.count == 198)
            let kinds = try await mfad.auditKinds(account)
            #expect(kinds.filter { $0 == "code_wrong" }.count == 3)
            #expect(kinds.filter { $0 == "locked" }.count == 1)
            // The lock holds for the right code too.
            await expectLocked(retryAfter: 300) { try await mfad.verifyCorrect(challenge) }
        }
    }

    /// The counter is per account: wrong TOTP codes spread over 5 challenges of one account, 10
    /// connections × 20 codes at once, still get exactly 3 checked.
    @Test func parallelWrongCodesAcrossChallengesShareOneCounter() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let now = try await mfad.advanceClock(30)
            var challenges: [String] = []
            for _ in 0..<5 { challenges.append(try await mfad.totpChallenge(totp.account).challengeID) }
            let wrong = try OathTool.wrongCode(secret: totp.secret, at: now)
            let clients = try await mfad.connections(10)
            var calls: [(MFAClient, VerifyMfaRequest)] = []
            for (index, client) in clients.enumerated() {
                for n in 0..<20 {
                    calls.append((client, VerifyMfaRequest(challengeID: challenges[(index + n) % challenges.count], code: wrong)))
                }
            }

            let answers = await sendAtOnce(calls)

            #expect(answers.count == 200)
            #expect(answers.filter(\.succeeded).isEmpty)
            #expect(answers.compactMap { $0.error?.code == .invalidCode ? $0.error?.attemptsRemaining : nil }.sorted() == [1, 2])
            #expect(answers.filter { $0.error?.isLocked(retryAfter: 300) == true }.count == 198)
            let kinds = try await mfad.auditKinds(totp.account)
            #expect(kinds.filter { $0 == "code_wrong" }.count == 3)
            #expect(kinds.filter { $0 == "locked" }.count == 1)
        }
    }

    // MARK: TOTP replay in parallel

    /// One valid TOTP code sent for one challenge on 10 connections at once: one session; the
    /// other nine find the challenge completed.
    @Test func sameTOTPCodeOnTenConnectionsIsAcceptedOnce() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let code = try await mfad.nextTOTPCode(totp)
            let challenge = try await mfad.totpChallenge(totp.account)
            let clients = try await mfad.connections(10)

            let answers = await sendAtOnce(clients.map { ($0, VerifyMfaRequest(challengeID: challenge.challengeID, code: code)) })

            #expect(answers.filter(\.succeeded).count == 1)
            #expect(answers.filter { $0.error?.code == .codeExpired && $0.error?.message == Messages.codeExpired }.count == 9)
            let kinds = try await mfad.auditKinds(totp.account)
            #expect(kinds.filter { $0 == "code_ok" }.count == 1)
            #expect(!kinds.contains("code_wrong"))
        }
    }

    /// One valid TOTP code sent for 10 challenges of the account on 10 connections at once: one
    /// session; the nine replays count as wrong codes (two INVALID_CODE, then the lock).
    @Test func sameTOTPCodeForTenChallengesIsAcceptedOnce() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let code = try await mfad.nextTOTPCode(totp)
            var challenges: [String] = []
            for _ in 0..<10 { challenges.append(try await mfad.totpChallenge(totp.account).challengeID) }
            let clients = try await mfad.connections(10)

            let answers = await sendAtOnce(zip(clients, challenges).map { ($0, VerifyMfaRequest(challengeID: $1, code: code)) })

            let sessions = answers.compactMap { answer -> String? in
                if case .success(let response) = answer.result { return response.sessionToken }
                return nil
            }
            try #require(sessions.count == 1)
            #expect(try await mfad.validate(sessions[0]).accountID == totp.account.id)
            #expect(answers.compactMap { $0.error?.code == .invalidCode ? $0.error?.attemptsRemaining : nil }.sorted() == [1, 2])
            #expect(answers.filter { $0.error?.isLocked(retryAfter: 300) == true }.count == 7)
            let kinds = try await mfad.auditKinds(totp.account)
            #expect(kinds.filter { $0 == "code_ok" }.count == 1)
            #expect(kinds.filter { $0 == "code_wrong" }.count == 3)
        }
    }

    // MARK: Codes and sessions are bound to their account

    /// A's email code and A's recovery code (and A's TOTP code) never complete B's challenge:
    /// each is a wrong code counted for B, never for A, and A's codes still work for A afterwards.
    @Test func codesOfOneAccountNeverCompleteAnotherAccountsChallenge() async throws {
        try await withMfad { mfad in
            try await mfad.enforceMfaFromStart()
            let alice = try await mfad.createAccount("alice@example.com")
            let bob = try await mfad.createAccount("bob@example.com")
            let carol = try await mfad.createAccount("carol@example.com")
            // Alice: an open email challenge, then TOTP with recovery codes.
            let aliceEmailChallenge = try await mfad.loginForCode(alice)
            let aliceTOTP = try await mfad.enrollTOTP(alice, session: try await mfad.verifyCorrect(try await mfad.loginForCode(alice)).sessionToken)
            // Bob logs in with email codes; Carol with TOTP.
            let bobChallenge = try await mfad.loginForCode(bob)
            let carolTOTP = try await mfad.enrollTOTP(carol, session: try await mfad.verifyCorrect(try await mfad.loginForCode(carol)).sessionToken)
            let now = try await mfad.advanceClock(30)
            let carolChallenge = try await mfad.totpChallenge(carol).challengeID
            let aliceRecovery = aliceTOTP.recoveryCodes[0]
            let aliceTOTPCode = try OathTool.code(secret: aliceTOTP.secret, at: now)
            let carolCodesNow = try Set((-1...1).map { try OathTool.code(secret: carolTOTP.secret, at: now + $0 * 30) })
            try #require(!carolCodesNow.contains(aliceTOTPCode), "Alice's and Carol's codes coincide now; pick another time")

            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(bobChallenge, code: aliceEmailChallenge.code) }
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verify(bobChallenge, code: aliceRecovery) }
            await expectInvalidCode(attemptsRemaining: 2) { try await mfad.verify(carolChallenge, code: aliceRecovery) }
            await expectInvalidCode(attemptsRemaining: 1) { try await mfad.verify(carolChallenge, code: aliceEmailChallenge.code) }
            await expectLocked(retryAfter: 300) { try await mfad.verify(carolChallenge, code: aliceTOTPCode) }

            // Counted for Bob and Carol, never for Alice.
            #expect(try await mfad.auditKinds(bob).filter { $0 == "code_wrong" }.count == 2)
            #expect(try await mfad.auditKinds(carol).filter { $0 == "code_wrong" }.count == 3)
            #expect(!(try await mfad.auditKinds(alice)).contains("code_wrong"))
            // Alice's codes were good ones: they still complete Alice's own challenges.
            let aliceSession = try await mfad.verifyCorrect(aliceEmailChallenge).sessionToken
            #expect(try await mfad.validate(aliceSession).accountID == alice.id)
            let aliceTOTPChallenge = try await mfad.totpChallenge(alice).challengeID
            let recovered = try await mfad.verify(aliceTOTPChallenge, code: aliceRecovery).sessionToken
            #expect(try await mfad.validate(recovered).accountID == alice.id)
        }
    }

    /// A session token names its own account only: ValidateSession returns its account, and a
    /// token of A can neither see nor remove B's trusted device.
    @Test func sessionTokenNeverActsAsAnotherAccount() async throws {
        try await withMfad { mfad in
            let alice = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let bob = try await mfad.enrollTOTP(try await mfad.createAccount("bob@example.com", password: "bob's own password"))
            let aliceSession = try await mfad.totpLogin(alice).sessionToken
            let bobLogin = try await mfad.totpLogin(bob, trustDevice: true, label: "bob's laptop")
            let bobDevices = try await mfad.trustedDevices(bobLogin.sessionToken)
            try #require(bobDevices.count == 1)

            #expect(try await mfad.validate(aliceSession).accountID == alice.account.id)
            #expect(try await mfad.validate(aliceSession).email == alice.account.email)
            #expect(try await mfad.validate(bobLogin.sessionToken).accountID == bob.account.id)
            await expectError(.notFound) {
                try await mfad.client.removeTrustedDevice(RemoveTrustedDeviceRequest(sessionToken: aliceSession, deviceID: bobDevices[0].deviceID))
            }
            #expect(try await mfad.trustedDevices(aliceSession).isEmpty)
            #expect(try await mfad.trustedDevices(bobLogin.sessionToken) == bobDevices)
            // Bob's password is no use with Alice's session: it is checked against Alice's account,
            // and Bob's password is unchanged (his device still logs him in with it).
            await expectError(.invalidCredentials) {
                try await mfad.client.changePassword(ChangePasswordRequest(
                    sessionToken: aliceSession, oldPassword: bob.account.password, newPassword: "a brand new password"))
            }
            let bobAgain = try await mfad.sessionWithoutCode(bob.account, deviceToken: bobLogin.deviceToken)
            #expect(try await mfad.validate(bobAgain).accountID == bob.account.id)

            // Many validations of both tokens at once on 10 connections: each names its own account.
            let clients = try await mfad.connections(10)
            let tokens = [(aliceSession, alice.account.id), (bobLogin.sessionToken, bob.account.id)]
            let results = await withTaskGroup(of: Bool.self) { group in
                for (index, client) in clients.enumerated() {
                    for n in 0..<20 {
                        let (token, expected) = tokens[(index + n) % 2]
                        group.addTask {
                            (try? await client.validateSession(ValidateSessionRequest(sessionToken: token)).accountID) == expected
                        }
                    }
                }
                var all: [Bool] = []
                for await result in group { all.append(result) }
                return all
            }
            #expect(results.count == 200)
            #expect(results.allSatisfy { $0 })
        }
    }

    // MARK: Wrong and replayed codes are indistinguishable

    /// One account, its counter at 0 both times: a wrong TOTP code and, after a login reset the
    /// counter, a replay of that login's code get byte-for-byte the same response frame.
    @Test func wrongAndReplayedTOTPCodeOfOneAccountGetTheSameAnswer() async throws {
        try await withMfad { mfad in
            let totp = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let code = try await mfad.nextTOTPCode(totp)
            let now = try await mfad.now()
            let first = try await mfad.totpChallenge(totp.account).challengeID
            let raw = try RawConnection(port: mfad.process.port)

            let wrongFrame = try raw.exchange(.verifyMfa(VerifyMfaRequest(challengeID: first,
                                                                          code: try OathTool.wrongCode(secret: totp.secret, at: now))), id: 7)
            _ = try await mfad.verify(first, code: code)  // resets the counter to 0
            let second = try await mfad.totpChallenge(totp.account).challengeID
            let replayFrame = try raw.exchange(.verifyMfa(VerifyMfaRequest(challengeID: second, code: code)), id: 7)

            let wrong = try RawConnection.error(wrongFrame)
            let replay = try RawConnection.error(replayFrame)
            #expect(wrong.code == .invalidCode && replay.code == .invalidCode)
            #expect(wrong.message == replay.message)
            #expect(wrong.attemptsRemaining == 2 && replay.attemptsRemaining == 2)
            #expect(wrongFrame == replayFrame, "the frames differ: \(wrong) vs \(replay)")
        }
    }

    /// Two accounts in the same state: Alice sends wrong codes, Bob replays his last code; at
    /// every counter value (2, 1 attempts left, then the lock) the frames are byte-for-byte equal.
    @Test func wrongAndReplayedTOTPCodesOfTwoAccountsInTheSameStateAreByteIdentical() async throws {
        try await withMfad { mfad in
            let alice = try await mfad.enrollTOTP(try await mfad.createAccount("alice@example.com"))
            let bob = try await mfad.enrollTOTP(try await mfad.createAccount("bob@example.com"))
            let now = try await mfad.advanceClock(30)
            let aliceChallenge = try await mfad.totpChallenge(alice.account).challengeID
            let bobCode = try OathTool.code(secret: bob.secret, at: now)
            _ = try await mfad.verify(try await mfad.totpChallenge(bob.account).challengeID, code: bobCode)
            let bobChallenge = try await mfad.totpChallenge(bob.account).challengeID
            let aliceWrong = try OathTool.wrongCode(secret: alice.secret, at: now)
            let raw = try RawConnection(port: mfad.process.port)

            for (attempt, expected) in [(1, ErrorCode.invalidCode), (2, .invalidCode), (3, .locked)] {
                let wrongFrame = try raw.exchange(.verifyMfa(VerifyMfaRequest(challengeID: aliceChallenge, code: aliceWrong)), id: 42)
                let replayFrame = try raw.exchange(.verifyMfa(VerifyMfaRequest(challengeID: bobChallenge, code: bobCode)), id: 42)
                let wrong = try RawConnection.error(wrongFrame)
                let replay = try RawConnection.error(replayFrame)
                #expect(wrong.code == expected, "attempt \(attempt): \(wrong)")
                #expect(wrongFrame == replayFrame, "attempt \(attempt): \(wrong) vs \(replay)")
            }
        }
    }

    // MARK: No secrets in responses or logs

    /// Every response of a full tour (sign-up, logins with email and TOTP codes, wrong codes,
    /// recovery codes, trusted devices, password change, audit, malformed input carrying secrets,
    /// a wrong API key, a malformed frame and an HTTP request carrying the password) and the
    /// server's log, at its most verbose level, are searched for every secret the test created.
    @Test func responsesAndLogsLeakNoSecrets() async throws {
        try await withMfad(extraArguments: ["--log-level", "trace"]) { mfad in
            let recorder = ResponseRecorder(client: mfad.client)
            let email = "alice@example.com"
            let password = "first password for the leak test"
            let newPassword = "second password for the leak test"
            let wrongAPIKey = "mfak_wrong-key-made-by-the-leak-test"

            _ = try await recorder.call(.ping(PingRequest()))
            _ = try await recorder.call(.serverInfo(ServerInfoRequest()))
            let created = try await recorder.createAccount(CreateAccountRequest(email: email, password: password, phone: "+41791234567",
                                                                                 plan: "pro", workspace: "acme"))
            // Excluded: ReadOutbox shows the codes in test mode by design.
            let outbox = try await recorder.readOutboxShowingCodes()
            for (channel, address) in [("email", email), ("sms", "+41791234567")] {
                let message = try #require(outbox.last { $0.channel == channel && $0.to == address && !$0.code.isEmpty })
                _ = try await recorder.call(.verifyContact(VerifyContactRequest(accountID: created, channel: channel, code: message.code)))
            }
            await recorder.expectFailure(.login(LoginRequest(email: email, password: password + "x", clientInfo: "leak-test")))
            let session = try await recorder.session(.login(LoginRequest(email: email, password: password, clientInfo: "leak-test")))

            // Excluded: BeginTotpEnrollment returns the secret (and its URI and QR code) once, by design.
            let enrolment = try await recorder.beginEnrollmentShowingSecret(BeginTotpEnrollmentRequest(sessionToken: session, password: password))
            let secret = enrolment.secret
            var now = try await mfad.now()
            await recorder.expectFailure(.confirmTotpEnrollment(ConfirmTotpEnrollmentRequest(
                sessionToken: session, enrollmentID: enrolment.enrollmentID, code: try OathTool.wrongCode(secret: secret, at: now))))
            // Excluded: ConfirmTotpEnrollment returns the recovery codes once, by design.
            let recoveryCodes = try await recorder.confirmEnrollmentShowingRecoveryCodes(ConfirmTotpEnrollmentRequest(
                sessionToken: session, enrollmentID: enrolment.enrollmentID, code: try OathTool.code(secret: secret, at: now)))
            #expect(recoveryCodes.count == 10)
            _ = try await recorder.call(.getMfaStatus(GetMfaStatusRequest(sessionToken: session)))

            // Wrong codes of every kind, and secrets sent where they do not belong.
            now = try await mfad.advanceClock(30)
            var challenge = try await recorder.challenge(.login(LoginRequest(email: email, password: password, clientInfo: "leak-test")))
            let misplaced = [try OathTool.wrongCode(secret: secret, at: now), password, secret, MFAClient.Credentials.endToEnd.apiKey,
                             String(repeating: "9", count: 300)]
            for code in misplaced {
                await recorder.expectFailure(.verifyMfa(VerifyMfaRequest(challengeID: challenge, code: code)))
                _ = try await recorder.call(.unlockAccount(UnlockAccountRequest(accountID: created)))
            }
            await recorder.expectFailure(.verifyMfa(VerifyMfaRequest(challengeID: password, code: recoveryCodes[1])))
            await recorder.expectFailure(.verifyLink(VerifyLinkRequest(linkToken: secret)))
            await recorder.expectFailure(.validateSession(ValidateSessionRequest(sessionToken: password)))
            await recorder.expectFailure(.login(LoginRequest(email: password, password: password)))
            await recorder.expectFailure(.unlockAccount(UnlockAccountRequest(accountID: secret)))
            await recorder.expectFailure(.removeTrustedDevice(RemoveTrustedDeviceRequest(sessionToken: session, deviceID: password)))

            // A TOTP login trusting the device, a replay, a recovery code and its replay.
            let code = try OathTool.code(secret: secret, at: now)
            let trusted = try await recorder.call(.verifyMfa(VerifyMfaRequest(challengeID: challenge, code: code, trustDevice: true,
                                                                               deviceLabel: "leak-test laptop")))
            guard case .verifyMfa(let verified) = trusted else { Issue.record("VerifyMfa answered \(trusted)"); return }
            _ = try await recorder.call(.listTrustedDevices(ListTrustedDevicesRequest(sessionToken: verified.sessionToken)))
            _ = try await recorder.call(.validateSession(ValidateSessionRequest(sessionToken: verified.sessionToken)))
            challenge = try await recorder.challenge(.login(LoginRequest(email: email, password: password, clientInfo: "leak-test")))
            await recorder.expectFailure(.verifyMfa(VerifyMfaRequest(challengeID: challenge, code: code)))
            _ = try await recorder.session(.verifyMfa(VerifyMfaRequest(challengeID: challenge, code: recoveryCodes[0])))
            challenge = try await recorder.challenge(.login(LoginRequest(email: email, password: password, clientInfo: "leak-test")))
            await recorder.expectFailure(.verifyMfa(VerifyMfaRequest(challengeID: challenge, code: recoveryCodes[0])))

            // Password change, the old password refused, the new one accepted; audit; disabling.
            await recorder.expectFailure(.changePassword(ChangePasswordRequest(sessionToken: session, oldPassword: newPassword,
                                                                                newPassword: password + " again")))
            _ = try await recorder.call(.changePassword(ChangePasswordRequest(sessionToken: session, oldPassword: password, newPassword: newPassword)))
            await recorder.expectFailure(.login(LoginRequest(email: email, password: password, clientInfo: "leak-test")))
            _ = try await recorder.challenge(.login(LoginRequest(email: email, password: newPassword, clientInfo: "leak-test")))
            _ = try await recorder.call(.listAuditEvents(ListAuditEventsRequest(accountID: created, limit: 1000)))
            await recorder.expectFailure(.disableMfa(DisableMfaRequest(sessionToken: session, password: password)))
            _ = try await recorder.call(.disableMfa(DisableMfaRequest(sessionToken: session, password: newPassword)))
            _ = try await recorder.call(.logout(LogoutRequest(sessionToken: session)))

            // A caller with a wrong API key.
            var configuration = MFAClient.Configuration()
            configuration.credentials = MFAClient.Credentials(service: "e2e", apiKey: wrongAPIKey)
            do throws(MFAClientError) {
                let intruder = try await MFAClient.connect(host: "127.0.0.1", port: mfad.process.port, configuration: configuration)
                await intruder.close()
                Issue.record("a wrong API key was accepted")
            } catch {
                #expect(error.code == .unauthenticated)
                recorder.record(.error(ErrorDetails(code: error.code ?? .unspecified, message: error.message,
                                                    attemptsRemaining: error.attemptsRemaining, retryAfterSeconds: error.retryAfterSeconds)))
            }

            // Bytes that are no envelope (the password itself): one error response, then the close;
            // and an HTTP request on the mfad port with the password in its query.
            let malformed = try FrameConnection(port: mfad.process.port)
            let body = Array(password.utf8)
            try malformed.send([0, 0, 0, UInt8(body.count)] + body)
            recorder.record(.error(try RawConnection.error(try malformed.readFrame())))
            #expect(malformed.isClosedByPeer())
            let http = try FrameConnection(port: mfad.process.port)
            try http.send(Array("GET /\(password) HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            _ = http.isClosedByPeer()  // waits for the plain-text hint (or the close)
            try await Task.sleep(for: .milliseconds(200))  // let the server's log lines arrive

            let secretBytes = try #require(TestBase32.decode(secret))
            let hex = secretBytes.map { String(format: "%02x", $0) }.joined()
            var secrets: [(String, String)] = [
                ("the password", password), ("the new password", newPassword),
                ("the TOTP secret (base32)", secret), ("the TOTP secret (base32, lower case)", secret.lowercased()),
                ("the TOTP secret (hex)", hex), ("the TOTP secret (HEX)", hex.uppercased()),
                ("the test's API key", MFAClient.Credentials.endToEnd.apiKey), ("the wrong API key", wrongAPIKey),
            ]
            for recovery in recoveryCodes {
                secrets.append(("a recovery code", recovery))
                secrets.append(("a recovery code without its dash", recovery.replacingOccurrences(of: "-", with: "")))
            }
            let responses = recorder.texts
            #expect(responses.count > 40, "the tour recorded \(responses.count) responses")
            let log = mfad.process.log
            #expect(log.contains("TEST MODE"), "the server log was not collected")
            for (what, value) in secrets {
                for response in responses where response.contains(value) {
                    Issue.record("a response shows \(what): \(response)")
                }
                if log.contains(value) {
                    Issue.record("the server log shows \(what): \(log.components(separatedBy: "\n").filter { $0.contains(value) }.prefix(3))")
                }
            }
        }
    }
}

// MARK: - Helpers

/// Sends every request at once (each on its client, all in flight together) and collects the answers.
func sendAtOnce(_ calls: [(MFAClient, VerifyMfaRequest)]) async -> [BurstAnswer] {
    await withTaskGroup(of: BurstAnswer.self) { group in
        for (client, request) in calls {
            group.addTask {
                do throws(MFAClientError) {
                    return BurstAnswer(code: request.code, result: .success(try await client.verifyMfa(request)))
                } catch {
                    return BurstAnswer(code: request.code, result: .failure(error))
                }
            }
        }
        var answers: [BurstAnswer] = []
        for await answer in group { answers.append(answer) }
        return answers
    }
}

/// An authenticated connection that sends requests with the ids it is given and returns the
/// exact response frames, so that two answers can be compared byte for byte.
final class RawConnection {
    private let connection: FrameConnection

    init(port: Int) throws {
        connection = try FrameConnection(port: port)
        let credentials = MFAClient.Credentials.endToEnd
        let frame = try exchange(.authenticate(AuthenticateRequest(service: credentials.service, apiKey: credentials.apiKey)), id: 1)
        guard case .authenticate = try Response(serializedBytes: Array(frame.dropFirst(4))).result else {
            throw RawFailure(description: "Authenticate failed")
        }
    }

    /// Sends `call` as request `id` and reads the response frame (length prefix included).
    func exchange(_ call: Request.Call, id: UInt64) throws -> [UInt8] {
        let body = try Request(id: id, protocolVersion: ProtocolVersion.current, call: call).serializedBytes()
        let length = UInt32(body.count)
        try connection.send([UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body)
        return try connection.readFrame()
    }

    /// The error a response frame carries.
    static func error(_ frame: [UInt8]) throws -> ErrorDetails {
        guard case .error(let error) = try Response(serializedBytes: Array(frame.dropFirst(4))).result else {
            throw RawFailure(description: "not an error: \(try Response(serializedBytes: Array(frame.dropFirst(4))).textFormat)")
        }
        return error
    }

    struct RawFailure: Error, CustomStringConvertible {
        let description: String
    }
}

/// Calls mfad and keeps the text format of every response, errors included, except those of the
/// calls that legitimately show a secret once (their own methods say so).
final class ResponseRecorder: @unchecked Sendable {
    private let client: MFAClient
    private let lock = NSLock()
    private var recorded: [String] = []

    init(client: MFAClient) { self.client = client }

    var texts: [String] { lock.withLock { recorded } }

    func record(_ result: Response.Result) {
        let text = Response(id: 0, result: result).textFormat
        lock.withLock { recorded.append(text) }
    }

    /// Calls and records the answer, success or error.
    @discardableResult
    func call(_ call: Request.Call) async throws(MFAClientError) -> Response.Result {
        do throws(MFAClientError) {
            let result = try await client.call(call)
            record(result)
            return result
        } catch {
            if error.isServerError {
                record(.error(ErrorDetails(code: error.code ?? .unspecified, message: error.message,
                                           attemptsRemaining: error.attemptsRemaining, retryAfterSeconds: error.retryAfterSeconds)))
            }
            throw error
        }
    }

    /// A call that must fail with a server error (recorded).
    func expectFailure(_ call: Request.Call, sourceLocation: SourceLocation = #_sourceLocation) async {
        do throws(MFAClientError) {
            let result = try await self.call(call)
            Issue.record("expected an error, got \(Response(id: 0, result: result).textFormat)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.isServerError, "\(error)", sourceLocation: sourceLocation)
        }
    }

    func createAccount(_ request: CreateAccountRequest) async throws -> String {
        guard case .createAccount(let response) = try await call(.createAccount(request)) else { throw MFAClientError.unexpectedResponse(rpc: "CreateAccount") }
        return response.accountID
    }

    /// A Login or VerifyMfa that must issue a session.
    func session(_ call: Request.Call) async throws -> String {
        switch try await self.call(call) {
        case .login(let response) where !response.sessionToken.isEmpty: return response.sessionToken
        case .verifyMfa(let response) where !response.sessionToken.isEmpty: return response.sessionToken
        case let other: throw ResponseFailure(description: "expected a session, got \(Response(id: 0, result: other).textFormat)")
        }
    }

    /// A Login that must ask for a code.
    func challenge(_ call: Request.Call) async throws -> String {
        guard case .login(let response) = try await self.call(call), !response.challengeID.isEmpty else {
            throw ResponseFailure(description: "expected a challenge")
        }
        return response.challengeID
    }

    // Not recorded: these responses show a secret once, by design (SPEC 2.2, 4.3).

    /// `ReadOutbox` (test mode): shows every message's code and link token.
    func readOutboxShowingCodes() async throws -> [OutboxMessage] {
        try await client.readOutbox().messages
    }

    /// `BeginTotpEnrollment`: shows the new secret, its otpauth URI and QR code.
    func beginEnrollmentShowingSecret(_ request: BeginTotpEnrollmentRequest) async throws -> BeginTotpEnrollmentResponse {
        try await client.beginTotpEnrollment(request)
    }

    /// `ConfirmTotpEnrollment`: shows the recovery codes.
    func confirmEnrollmentShowingRecoveryCodes(_ request: ConfirmTotpEnrollmentRequest) async throws -> [String] {
        try await client.confirmTotpEnrollment(request).recoveryCodes
    }

    struct ResponseFailure: Error, CustomStringConvertible {
        let description: String
    }
}
