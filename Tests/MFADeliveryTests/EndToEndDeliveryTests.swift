import Foundation
import MFAProcessTestSupport
import MFAClient
import MFAConformance
import MFAStore
import MFAWire
import Testing

/// The real mfad, configured with --smtp-url and --sms-gateway-url, delivering sign-up codes to
/// a real SMTP server and a real HTTP gateway; the account is then confirmed with the delivered
/// codes.
@Suite("mfad delivers the outbox (end to end)", .serialized)
struct EndToEndDeliveryTests {
    @Test("sign-up codes arrive by SMTP and by the SMS gateway, and confirm the account")
    func signupCodesAreDelivered() async throws {
        try await withPythonSink("smtp_sink.py", module: "aiosmtpd") { smtp in
            try await withPythonSink("http_sink.py") { gateway in
                try await deliver(smtp: smtp, gateway: gateway)
            }
        }
    }

    private func deliver(smtp: PythonSink, gateway: PythonSink) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("mfa.sqlite").path
        let mfad = try await MfadProcess([
            "--dev", "--db", database, "--smtp-url", "smtp://127.0.0.1:\(smtp.port)", "--mail-from", "mfad <no-reply@example.com>",
            "--sms-gateway-url", "http://127.0.0.1:\(gateway.port)/sms",
        ])
        var stopped = false
        defer { if !stopped { kill(mfad.process.processIdentifier, SIGKILL) } }
        let client = try await MFAClient.connect(host: "127.0.0.1", port: mfad.port)
        defer { Task { [client] in await client.close() } }

        let account = try await client.createAccount(CreateAccountRequest(
            email: "ada@example.com", password: "correct horse", phone: "+41791234567", plan: "pro", workspace: "acme")).accountID

        // The worker polls every second; both messages arrive without anyone reading the outbox.
        try await waitUntil("the email and the SMS arrived") { smtp.received("eml").count == 1 && gateway.received("json").count == 1 }
        try await waitUntil("both messages are marked sent") {
            try await SQLiteMFAStorage.openedOutboxMessages(atPath: database, masterKeyFile: database + ".key").allSatisfy { $0.state == .sent }
        }
        let outbox = try await SQLiteMFAStorage.openedOutboxMessages(atPath: database, masterKeyFile: database + ".key")
        let emailRecord = try #require(outbox.first { $0.channel == "email" })
        let smsRecord = try #require(outbox.first { $0.channel == "sms" })
        // Sent messages keep nothing of what they said (SPEC 8.1).
        for record in [emailRecord, smsRecord] {
            #expect(record.sealedContent == nil && record.body.isEmpty && record.code.isEmpty, "message \(record.id) not scrubbed")
        }

        let email = try jsonObject(try await runCommand(["python3", Fixtures.path("parse_email.py"), smtp.received("eml")[0].path]))
        #expect(email["to"] as? String == "ada@example.com")
        #expect(email["message_id"] as? String == "<\(emailRecord.messageID ?? "?")>")
        let parts = try #require(email["parts"] as? [[String: Any]])
        let text = try #require(parts.first?["text"] as? String)
        let request = try jsonObject(try Data(contentsOf: gateway.received("json")[0]))
        let sms = try jsonObject(Data((request["body"] as? String ?? "").utf8))
        #expect(sms["to"] as? String == "+41791234567")
        #expect(sms["message_id"] as? String == smsRecord.messageID)
        let smsBody = try #require(sms["body"] as? String)

        // The codes as delivered confirm both contacts; then the account can log in.
        let deliveredEmailCode = try #require(Self.code(in: text))
        let deliveredSMSCode = try #require(Self.code(in: smsBody))
        // Neither code is left in the database file or its write-ahead log.
        for file in [database, database + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            for code in [deliveredEmailCode, deliveredSMSCode] {
                #expect(bytes.range(of: Data(code.utf8)) == nil, "code \(code) in \(file)")
            }
        }
        _ = try await client.verifyContact(VerifyContactRequest(accountID: account, channel: "email", code: deliveredEmailCode))
        let verified = try await client.verifyContact(VerifyContactRequest(accountID: account, channel: "sms", code: deliveredSMSCode))
        #expect(verified.emailVerified && verified.phoneVerified)
        #expect(!(try await client.login(LoginRequest(email: "ada@example.com", password: "correct horse"))).sessionToken.isEmpty)

        let status = try await mfad.stop()
        stopped = true
        #expect(status == 0, "mfad log: \(mfad.log)")
        #expect(mfad.log.contains("delivery worker stopped"))
        #expect(!mfad.log.contains(emailRecord.code) && !mfad.log.contains(smsRecord.code))
    }

    /// The word of `text` equal to `code` (the code as the recipient reads it).
    /// The code in a delivered message's text ("... code is: ABC234" or "... code is ABC234.").
    static func code(in text: String) -> String? {
        guard let range = text.range(of: "code is") else { return nil }
        return text[range.upperBound...].split(whereSeparator: { !$0.isLetter && !$0.isNumber }).first.map(String.init)
    }
}

/// Login codes, links and invitations through real SMTP; an SMTP server that is down at first;
/// a kill -9 between queueing and sending; dead letters; no secret in the log.
@Suite("delivery survives failures (end to end)", .serialized)
struct DeliveryFailureTests {
    private static let password = "correct horse"

    private func start(database: String, smtpPort: Int, extra: [String] = [], environment: [String: String] = [:]) async throws -> MfadProcess {
        try await MfadProcess(["--dev", "--db", database, "--smtp-url", "smtp://127.0.0.1:\(smtpPort)",
                               "--mail-from", "mfad <no-reply@example.com>", "--delivery-retry-base", "1"] + extra,
                              environment: environment)
    }

    /// Creates an account and confirms it: the email code as delivered to `smtp` (the sent
    /// message is scrubbed from the outbox), the SMS code from the outbox file (held: no gateway).
    private func confirmedAccount(_ client: MFAClient, database: String, smtp: PythonSink, email: String) async throws {
        let id = try await client.createAccount(CreateAccountRequest(email: email, password: Self.password, phone: "+41791234567",
                                                                     plan: "pro", workspace: "acme")).accountID
        try await waitUntil("the confirmation email arrived") { smtp.received("eml").count == 1 }
        let emailCode = try #require(EndToEndDeliveryTests.code(in: try await deliveredText(smtp, 0).text))
        _ = try await client.verifyContact(VerifyContactRequest(accountID: id, channel: "email", code: emailCode))
        let outbox = try await SQLiteMFAStorage.openedOutboxMessages(atPath: database, masterKeyFile: database + ".key")
        let sms = try #require(outbox.first { $0.channel == "sms" && !$0.code.isEmpty })
        _ = try await client.verifyContact(VerifyContactRequest(accountID: id, channel: "sms", code: sms.code))
    }

    /// The text part of the `index`-th email the sink received.
    private func deliveredText(_ smtp: PythonSink, _ index: Int) async throws -> (text: String, messageID: String) {
        let email = try jsonObject(try await runCommand(["python3", Fixtures.path("parse_email.py"), smtp.received("eml")[index].path]))
        let parts = try #require(email["parts"] as? [[String: Any]])
        return (try #require(parts.first?["text"] as? String), email["message_id"] as? String ?? "")
    }

    @Test("a login's email code and link arrive and work; an invitation arrives and is accepted once")
    func loginAndInvitationEmails() async throws {
        try await withPythonSink("smtp_sink.py", module: "aiosmtpd") { smtp in
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let database = directory.appendingPathComponent("mfa.sqlite").path
            let mfad = try await start(database: database, smtpPort: smtp.port)
            let client = try await MFAClient.connect(host: "127.0.0.1", port: mfad.port)
            try await confirmedAccount(client, database: database, smtp: smtp, email: "ada@example.com")
            _ = try await client.setEnforcementPolicy(SetEnforcementPolicyRequest(enforceFromUnix: 1))

            let first = try await client.login(LoginRequest(email: "ada@example.com", password: Self.password)).challengeID
            try await waitUntil("the sign-in email arrived") { smtp.received("eml").count == 2 }
            let signIn = try await deliveredText(smtp, 1).text
            let code = try #require(EndToEndDeliveryTests.code(in: signIn))
            #expect(!(try await client.verifyMfa(VerifyMfaRequest(challengeID: first, code: code))).sessionToken.isEmpty)

            _ = try await client.login(LoginRequest(email: "ada@example.com", password: Self.password))
            try await waitUntil("the second sign-in email arrived") { smtp.received("eml").count == 3 }
            let withLink = try await deliveredText(smtp, 2).text
            let token = try #require(withLink.components(separatedBy: "token=").last?.prefix(43))
            let session = try await client.verifyLink(VerifyLinkRequest(linkToken: String(token))).sessionToken
            #expect(!session.isEmpty)

            _ = try await client.inviteUser(InviteUserRequest(workspace: "acme", email: "guest@example.com", inviterSessionToken: session))
            try await waitUntil("the invitation arrived") { smtp.received("eml").count == 4 }
            let invitation = try await deliveredText(smtp, 3).text
            let inviteToken = try #require(invitation.components(separatedBy: "token=").last?.prefix(43))
            _ = try await client.acceptInvite(AcceptInviteRequest(token: String(inviteToken), password: "guest password"))
            var again: MFAClientError?
            do {
                _ = try await client.acceptInvite(AcceptInviteRequest(token: String(inviteToken), password: "guest password"))
            } catch {
                again = error as? MFAClientError
            }
            #expect(again?.code == .codeExpired)
            await client.close()
            #expect(try await mfad.stop() == 0)
        }
    }

    @Test("SMTP down at first: the message waits, survives kill -9, and arrives once the server is up, Message-ID unchanged")
    func smtpDownThenKillThenUp() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("mfa.sqlite").path
        let smtpPort = try MfadProcess.freePort()
        let first = try await start(database: database, smtpPort: smtpPort)
        let client = try await MFAClient.connect(host: "127.0.0.1", port: first.port)
        _ = try await client.createAccount(CreateAccountRequest(email: "ada@example.com", password: Self.password,
                                                                phone: "+41791234567", plan: "pro", workspace: "acme"))
        await client.close()
        try await waitUntil("a failed attempt is recorded") {
            try await SQLiteMFAStorage.openedOutboxMessages(atPath: database, masterKeyFile: database + ".key").contains { $0.channel == "email" && $0.attempts >= 1 }
        }
        let before = try #require(try await SQLiteMFAStorage.openedOutboxMessages(atPath: database, masterKeyFile: database + ".key").first { $0.channel == "email" })
        #expect(before.state == .queued)
        _ = try await first.stop(signal: SIGKILL)

        try await withPythonSink("smtp_sink.py", arguments: ["--port", "\(smtpPort)"], module: "aiosmtpd") { smtp in
            let second = try await start(database: database, smtpPort: smtpPort)
            try await waitUntil("the email arrived after the restart", timeout: .seconds(40)) { !smtp.received("eml").isEmpty }
            let delivered = try await deliveredText(smtp, 0)
            #expect(delivered.text.contains(before.code))
            #expect(delivered.messageID == "<\(before.messageID ?? "?")>")
            try await waitUntil("marked sent") {
                try await SQLiteMFAStorage.openedOutboxMessages(atPath: database, masterKeyFile: database + ".key").first { $0.id == before.id }?.state == .sent
            }
            #expect(try await second.stop() == 0)
        }
    }

    @Test("a message that keeps failing ends dead, shown by mfactl outbox; credentials and codes never reach the log")
    func deadLetterAndQuietLog() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("mfa.sqlite").path
        let smtpPassword = "smtp-password-\(UInt32.random(in: 1000...9999))"
        // A retry base of 5 s (not 1): the codes are read from the outbox before the email dies and
        // is scrubbed, also on a slow, loaded machine.
        let mfad = try await start(database: database, smtpPort: try MfadProcess.freePort(),
                                   extra: ["--smtp-user", "mailer", "--max-delivery-attempts", "2", "--log-level", "trace",
                                           "--delivery-retry-base", "5"],
                                   environment: ["MFAD_SMTP_PASSWORD": smtpPassword])
        let client = try await MFAClient.connect(host: "127.0.0.1", port: mfad.port)
        _ = try await client.createAccount(CreateAccountRequest(email: "ada@example.com", password: Self.password,
                                                                phone: "+41791234567", plan: "pro", workspace: "acme"))
        await client.close()
        // The codes while they are still sealed in the outbox (the dead email is scrubbed).
        let codes = try await SQLiteMFAStorage.openedOutboxMessages(atPath: database, masterKeyFile: database + ".key").map(\.code)
            .filter { !$0.isEmpty }
        #expect(codes.count == 2, "the email and SMS codes, still sealed")
        try await waitUntil("the email is dead", timeout: .seconds(30)) {
            try await SQLiteMFAStorage.openedOutboxMessages(atPath: database, masterKeyFile: database + ".key").contains { $0.channel == "email" && $0.state == .dead }
        }
        let listing = try await runCommand([MfadProcess.buildDirectory.appendingPathComponent("mfactl").path, "outbox", "--db", database])
        #expect(String(decoding: listing, as: UTF8.self).contains("dead"))
        #expect(try await SQLiteMFAStorage.openedOutboxMessages(atPath: database, masterKeyFile: database + ".key")
            .filter { $0.state == .dead }.allSatisfy { $0.sealedContent == nil && $0.code.isEmpty })
        #expect(try await mfad.stop() == 0)
        #expect(!mfad.log.isEmpty)
        #expect(!mfad.log.contains(smtpPassword))
        #expect(!mfad.log.contains(Self.password))
        for code in codes { #expect(!mfad.log.contains(code)) }
    }
}
