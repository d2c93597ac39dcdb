import Foundation
import MFAProcessTestSupport
import MFACore
import MFAConformance
import MFADelivery
import Testing

/// Against a real SMTP server: aiosmtpd on loopback, started by the test.
@Suite("SMTP sender (real server)", .serialized)
struct SMTPSenderTests {
    static func message(messageID: String = "5f0c9d3e8a7b4c2d1e0f9a8b7c6d5e4f@example.com") -> OpenedOutboxMessage {
        OpenedOutboxMessage(
            record: OutboxRecord(id: 1, createdAt: .testModeStart, channel: "email", recipient: "ada@example.com",
                                 subject: "Ihr Anmeldecode für mfad", sealedContent: nil, state: .queued, messageID: messageID),
            content: OutboxContent(
                body: "Your sign-in code is: ABC234\n\nOr sign in with this link:\nhttps://example.com/verify?token=T0K3N\n\n"
                    + String(repeating: "A long line with ümlauts to wrap in quoted-printable. ", count: 4),
                code: "ABC234", linkToken: "T0K3N"))
    }

    @Test("a message sent through SMTPSender arrives with its headers and both parts")
    func deliversToRealServer() async throws {
        try await withPythonSink("smtp_sink.py", module: "aiosmtpd") { sink in
            let sender = try SMTPSender(url: "smtp://127.0.0.1:\(sink.port)", from: try MailAddress(parsing: "Zürich mfad <no-reply@example.com>"))
            let message = Self.message()

            try await sender.send(message)

            let files = sink.received("eml")
            try #require(files.count == 1, "server log: \(sink.log)")
            let envelope = try jsonObject(try Data(contentsOf: sink.received("json")[0]))
            #expect(envelope["mail_from"] as? String == "no-reply@example.com")
            #expect(envelope["rcpt_tos"] as? [String] == ["ada@example.com"])
            #expect(envelope["tls"] as? Bool == false)
            // The bytes that arrived are the bytes composed (no dot-stuffing or line-ending damage).
            let received = try Data(contentsOf: files[0])
            #expect(Array(received) == (try sender.composer.compose(message)))
            let parsed = try jsonObject(try await runCommand(["python3", Fixtures.path("parse_email.py"), files[0].path]))
            #expect(parsed["subject"] as? String == message.subject)
            #expect(parsed["from_display_name"] as? String == "Zürich mfad")
            #expect(parsed["to"] as? String == "ada@example.com")
            #expect(parsed["message_id"] as? String == "<\(message.messageID!)>")
            #expect(parsed["date_unix"] as? Int == Int(Timestamp.testModeStart.unixSeconds))
            #expect((parsed["defects"] as? [String])?.isEmpty == true)
            let parts = try #require(parsed["parts"] as? [[String: Any]])
            try #require(parts.count == 2)
            #expect(parts[0]["content_type"] as? String == "text/plain")
            #expect((parts[0]["text"] as? String)?.contains("Your sign-in code is: ABC234") == true)
            #expect((parts[0]["text"] as? String)?.contains("ümlauts to wrap in quoted-printable. A long line") == true)
            #expect(parts[1]["content_type"] as? String == "text/html")
            #expect((parts[1]["text"] as? String)?.contains("<a href=\"https://example.com/verify?token=T0K3N\">") == true)
        }
    }

    @Test("STARTTLS when offered, then AUTH with user and password")
    func startTLSAndAuth() async throws {
        try await requirePython()
        let certificates = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: certificates) }
        let cert = certificates.appendingPathComponent("cert.pem").path
        let key = certificates.appendingPathComponent("key.pem").path
        try await runCommand(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        try await withPythonSink("smtp_sink.py", arguments: ["--auth", "mailer:pa55-word", "--tls", cert, key], module: "aiosmtpd") { sink in
            let sender = try SMTPSender(url: "smtp://127.0.0.1:\(sink.port)", user: "mailer", password: "pa55-word",
                                        from: try MailAddress(parsing: "no-reply@example.com"), caFile: cert)

            try await sender.send(Self.message())

            let envelopes = sink.received("json")
            try #require(envelopes.count == 1, "server log: \(sink.log)")
            let envelope = try jsonObject(try Data(contentsOf: envelopes[0]))
            #expect(envelope["tls"] as? Bool == true)
            #expect(envelope["login"] as? String == "mailer")
        }
    }

    @Test("a wrong password fails with the server's reply code and no secret")
    func wrongPassword() async throws {
        try await withPythonSink("smtp_sink.py", arguments: ["--auth", "mailer:right"], module: "aiosmtpd") { sink in
            let sender = try SMTPSender(url: "smtp://127.0.0.1:\(sink.port)", user: "mailer", password: "wrong-pw",
                                        from: try MailAddress(parsing: "no-reply@example.com"))
            let error = try await #require(throws: DeliveryError.self) { try await sender.send(Self.message()) }
            #expect(error.kind == .rejected)
            #expect(error.reason.contains("535"))
            #expect(!error.description.contains("wrong-pw"))
            #expect(sink.received("eml").isEmpty)
        }
    }

    @Test("a refused recipient fails with the reply code, without the body or the code")
    func rejectedRecipient() async throws {
        try await withPythonSink("smtp_sink.py", arguments: ["--reject-rcpt"], module: "aiosmtpd") { sink in
            let sender = try SMTPSender(url: "smtp://127.0.0.1:\(sink.port)", from: try MailAddress(parsing: "no-reply@example.com"))
            let error = try await #require(throws: DeliveryError.self) { try await sender.send(Self.message()) }
            #expect(error.kind == .rejected)
            #expect(error.reason.contains("550"))
            #expect(!error.description.contains("ABC234"))
            #expect(!error.description.contains("T0K3N"))
            #expect(sink.received("eml").isEmpty)
        }
    }

    @Test("no server listening: a transfer failure")
    func connectionRefused() async throws {
        let port = try freeLoopbackPort()
        let sender = try SMTPSender(url: "smtp://127.0.0.1:\(port)", from: try MailAddress(parsing: "no-reply@example.com"),
                                    timeoutSeconds: 5)
        let error = try await #require(throws: DeliveryError.self) { try await sender.send(Self.message()) }
        #expect(error.kind == .transferFailed)
    }
}

/// A loopback port that nothing listens on (bound and released).
func freeLoopbackPort() throws -> Int {
    try MfadProcess.freePort()
}
