import Foundation
import MFAProcessTestSupport
import MFACore
import Testing

@testable import MFADelivery

@Suite("MIME composition")
struct MIMECompositionTests {
    static let messageID = "0123456789abcdef0123456789abcdef@example.com"

    static func email(subject: String = "Your mfad sign-in code", body: String = "Your sign-in code is: ABC234",
                      messageID: String? = messageID) -> OpenedOutboxMessage {
        OpenedOutboxMessage(
            record: OutboxRecord(id: 7, createdAt: .testModeStart, channel: "email", recipient: "ada@example.com", subject: subject,
                                 sealedContent: nil, state: .queued, messageID: messageID),
            content: OutboxContent(body: body, code: "ABC234", linkToken: "token"))
    }

    static func compose(_ message: OpenedOutboxMessage, from: String = "mfad <no-reply@example.com>") throws -> String {
        String(decoding: try EmailComposer(from: try MailAddress(parsing: from)).compose(message), as: UTF8.self)
    }

    /// The header block, unfolded, by lower-cased name.
    static func headers(_ text: String) -> [String: String] {
        let block = text.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        var headers: [String: String] = [:]
        for line in block.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    @Test("headers: From, To, Subject, Date (RFC 5322), Message-ID, MIME-Version, multipart/alternative")
    func headersArePresent() throws {
        let text = try Self.compose(Self.email())
        let headers = Self.headers(text)
        #expect(headers["from"] == "mfad <no-reply@example.com>")
        #expect(headers["to"] == "ada@example.com")
        #expect(headers["subject"] == "Your mfad sign-in code")
        #expect(headers["date"] == "Thu, 01 Jan 2026 00:00:00 +0000")
        #expect(headers["message-id"] == "<\(Self.messageID)>")
        #expect(headers["mime-version"] == "1.0")
        let boundary = EmailComposer.boundary(messageID: Self.messageID)
        #expect(headers["content-type"] == "multipart/alternative; boundary=\"\(boundary)\"")
        #expect(text.contains("\r\n--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
        #expect(text.contains("\r\n--\(boundary)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
        #expect(text.hasSuffix("\r\n--\(boundary)--\r\n"))
        // Every line ends in CRLF: no bare LF or CR anywhere.
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
    }

    @Test("the same message composes to the same bytes (retries upload identical messages)")
    func compositionIsStable() throws {
        let message = Self.email(body: "Ünïcödé body\nwith two lines")
        #expect(try Self.compose(message) == Self.compose(message))
    }

    @Test("a message without a Message-ID, or with an unsafe recipient, is refused")
    func invalidMessagesAreRefused() throws {
        #expect(throws: DeliveryError.self) { try Self.compose(Self.email(messageID: nil)) }
        var message = Self.email()
        message.recipient = "ada@example.com\r\nBcc: eve@example.com"
        let error = try #require(throws: DeliveryError.self) { try Self.compose(message) }
        #expect(error.kind == .invalidMessage)
    }

    @Test("a non-ASCII subject becomes RFC 2047 encoded-words of whole characters")
    func nonASCIISubjectIsEncoded() throws {
        let subject = "Ihr Anmeldecode für Zürich — 🔐 bitte nicht weitergeben, gültig zwanzig Minuten"
        let text = try Self.compose(Self.email(subject: subject))
        let raw = Self.headers(text)["subject"] ?? ""
        let words = raw.split(separator: " ")
        #expect(words.count > 1)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            #expect(word.count <= 75)
            let payload = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
            let bytes = try #require(payload)
            // Each word decodes on its own: no character is split between two words.
            #expect(String(validating: bytes, as: UTF8.self) != nil)
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test("a CR or LF in the subject can never start a new header")
    func subjectCannotInjectHeaders() throws {
        let text = try Self.compose(Self.email(subject: "Hello\r\nBcc: eve@example.com"))
        let headerBlock = text.components(separatedBy: "\r\n\r\n")[0]
        #expect(!headerBlock.contains("\r\nBcc:"))
        #expect(Self.headers(text)["subject"] == "Hello  Bcc: eve@example.com")
    }

    @Test("display names: atoms as they are, specials quoted, non-ASCII encoded")
    func displayNames() throws {
        #expect(try MailAddress(parsing: "mfad <a@example.com>").headerValue == "mfad <a@example.com>")
        #expect(try MailAddress(parsing: "a@example.com").headerValue == "a@example.com")
        #expect(try MailAddress(parsing: "\"Acme, Inc. \\\"Support\\\"\" <a@example.com>").headerValue
                == "\"Acme, Inc. \\\"Support\\\"\" <a@example.com>")
        let zurich = try MailAddress(parsing: "Zürich Support <help@example.ch>")
        #expect(zurich.displayName == "Zürich Support")
        #expect(zurich.headerValue == "=?UTF-8?B?\(Data("Zürich Support".utf8).base64EncodedString())?= <help@example.ch>")
        #expect(zurich.domain == "example.ch")
        #expect(zurich.envelope == "<help@example.ch>")
        #expect(throws: DeliveryError.self) { try MailAddress(parsing: "no address here") }
        #expect(throws: DeliveryError.self) { try MailAddress(parsing: "Name <a@example.com") }
    }

    @Test("quoted-printable: lines of at most 76, soft breaks outside escapes, non-ASCII and '=' escaped, decodes back")
    func quotedPrintable() throws {
        let longLine = String(repeating: "Grüße aus Köln = viele Grüße; ", count: 12)
        let text = "Short line\n\(longLine)\n.leading dot\ntrailing space \nünïcödé: 🔐\n\nend"
        let encoded = QuotedPrintable.encode(text)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.utf8.allSatisfy { $0 == 0x0D || $0 == 0x0A || (0x20...0x7E).contains($0) })
        #expect(lines.contains("=2Eleading dot"))
        #expect(lines.contains("trailing space=20"))
        #expect(lines.contains("=C3=BCn=C3=AFc=C3=B6d=C3=A9: =F0=9F=94=90"))
        #expect(try Self.decodeQuotedPrintable(encoded) == Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    @Test("quoted-printable: CRLF and LF input give the same CRLF output")
    func quotedPrintableLineEndings() {
        #expect(QuotedPrintable.encode("a\r\nb\nc") == "a\r\nb\r\nc")
    }

    @Test("the HTML part escapes the text and links the URL")
    func htmlEscapesText() {
        let html = HTMLRendering.document(text: "Code: <b>&\"x'</b>\n\nOpen https://example.com/v?token=a&b=1\nthen",
                                          title: "A <title>")
        #expect(html.contains("<title>A &lt;title&gt;</title>"))
        #expect(html.contains("<p>Code: &lt;b&gt;&amp;&quot;x&#39;&lt;/b&gt;</p>"))
        #expect(html.contains("<p>Open <a href=\"https://example.com/v?token=a&amp;b=1\">https://example.com/v?token=a&amp;b=1</a><br>\nthen</p>"))
    }

    @Test("RFC 5322 dates, including weekdays and leap days")
    func dates() {
        #expect(RFC5322Date.format(Timestamp(unixSeconds: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(RFC5322Date.format(Timestamp(unixSeconds: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(RFC5322Date.format(Timestamp(unixSeconds: 1_767_225_599)) == "Wed, 31 Dec 2025 23:59:59 +0000")
        #expect(RFC5322Date.format(Timestamp(unixSeconds: -1)) == "Wed, 31 Dec 1969 23:59:59 +0000")
    }

    @Test("Python's email package reads the message as intended (independent check)")
    func pythonParsesTheMessage() async throws {
        try await requirePython()
        let body = "Ihr Code: ABC234\n\nLink: https://example.com/verify?token=xyz\n"
            + String(repeating: "Eine sehr lange Zeile mit Umlauten äöü und Gleichheitszeichen = ", count: 5) + "\nEnde"
        let subject = "Anmeldung für Zürich"
        var message = Self.email(subject: subject, body: body)
        message.createdAt = Timestamp(unixSeconds: 1_767_225_600 + 3_723)
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("m.eml")
        try Data(try EmailComposer(from: try MailAddress(parsing: "Zürich Support <help@example.ch>")).compose(message)).write(to: file)
        let parsed = try jsonObject(try await runCommand(["python3", Fixtures.path("parse_email.py"), file.path]))
        #expect(parsed["subject"] as? String == subject)
        #expect(parsed["from_display_name"] as? String == "Zürich Support")
        #expect(parsed["from_address"] as? String == "help@example.ch")
        #expect(parsed["to"] as? String == "ada@example.com")
        #expect(parsed["date_unix"] as? Int == 1_767_225_600 + 3_723)
        #expect(parsed["message_id"] as? String == "<\(Self.messageID)>")
        #expect(parsed["mime_version"] as? String == "1.0")
        #expect(parsed["content_type"] as? String == "multipart/alternative")
        #expect((parsed["defects"] as? [String])?.isEmpty == true)
        #expect((parsed["longest_line"] as? Int ?? 999) <= 78)
        #expect(parsed["bare_lf"] as? Bool == false)
        let parts = try #require(parsed["parts"] as? [[String: Any]])
        try #require(parts.count == 2)
        #expect(parts[0]["content_type"] as? String == "text/plain")
        #expect(parts[0]["charset"] as? String == "utf-8")
        #expect(parts[0]["transfer_encoding"] as? String == "quoted-printable")
        #expect((parts[0]["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == body + "\n"
                || (parts[0]["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == body)
        #expect(parts[1]["content_type"] as? String == "text/html")
        let html = parts[1]["text"] as? String ?? ""
        #expect(html.contains("Ihr Code: ABC234"))
        #expect(html.contains("<a href=\"https://example.com/verify?token=xyz\">"))
        #expect(html.contains("Umlauten äöü und Gleichheitszeichen ="))
    }

    /// A strict quoted-printable decoder (CRLF hard breaks, `=` CRLF soft breaks).
    static func decodeQuotedPrintable(_ text: String) throws -> [UInt8] {
        var output: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "=") {
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                    index += 3
                    continue
                }
                guard index + 2 < bytes.count, let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16) else {
                    throw TestFailure(description: "bad escape at \(index)")
                }
                output.append(value)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }
}
