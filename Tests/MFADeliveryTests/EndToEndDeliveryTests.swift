import Foundation
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
            try SQLiteMFAStorage.outboxMessages(atPath: database).allSatisfy { $0.state == .sent }
        }
        let outbox = try SQLiteMFAStorage.outboxMessages(atPath: database)
        let emailRecord = try #require(outbox.first { $0.channel == "email" })
        let smsRecord = try #require(outbox.first { $0.channel == "sms" })

        let email = try jsonObject(try await runCommand(["python3", Fixtures.path("parse_email.py"), smtp.received("eml")[0].path]))
        #expect(email["to"] as? String == "ada@example.com")
        #expect(email["message_id"] as? String == "<\(emailRecord.messageID ?? "?")>")
        let parts = try #require(email["parts"] as? [[String: Any]])
        let text = try #require(parts.first?["text"] as? String)
        #expect(text.contains(emailRecord.code))
        let request = try jsonObject(try Data(contentsOf: gateway.received("json")[0]))
        let sms = try jsonObject(Data((request["body"] as? String ?? "").utf8))
        #expect(sms["to"] as? String == "+41791234567")
        #expect(sms["message_id"] as? String == smsRecord.messageID)
        let smsBody = try #require(sms["body"] as? String)
        #expect(smsBody.contains(smsRecord.code))

        // The codes as delivered confirm both contacts; then the account can log in.
        let deliveredEmailCode = try #require(Self.code(in: text, matching: emailRecord.code))
        let deliveredSMSCode = try #require(Self.code(in: smsBody, matching: smsRecord.code))
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
    static func code(in text: String, matching code: String) -> String? {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).first { $0 == code }
    }
}
