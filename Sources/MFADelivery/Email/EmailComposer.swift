import MFACore

/// Builds the MIME message of an outbox email (RFC 5322, RFC 2045-2047): `From`, `To`,
/// `Subject`, `Date`, `Message-ID`, `MIME-Version`, and a `multipart/alternative` body with a
/// `text/plain` and a `text/html` part, both UTF-8 in quoted-printable.
///
/// The output depends only on the message and the sender, so every retry of one outbox message
/// uploads the same bytes: `Date` is when the message was created, and the boundary derives from
/// the stable Message-ID.
public struct EmailComposer: Sendable {
    /// The `From` header (and, through ``MailAddress/envelope``, the SMTP `MAIL FROM`).
    public var from: MailAddress

    /// - Parameter from: The sender (`--mail-from`).
    public init(from: MailAddress) {
        self.from = from
    }

    /// The complete message, lines ending in CRLF, ready for SMTP `DATA`.
    /// - Parameter message: An `email` outbox message with its `messageID` set (a claim sets it).
    /// - Returns: The message bytes.
    /// - Throws: ``DeliveryError/Kind/invalidMessage`` when the recipient cannot go into a header
    ///   or the message has no Message-ID.
    public func compose(_ message: OpenedOutboxMessage) throws(DeliveryError) -> [UInt8] {
        let recipient = try MailAddress(address: message.recipient)
        guard let messageID = message.messageID else {
            throw .invalidMessage("outbox message \(message.id) has no Message-ID (claim it first)")
        }
        guard Self.isValidMessageID(messageID) else {
            throw .invalidMessage("outbox message \(message.id) has an unusable Message-ID")
        }
        let boundary = Self.boundary(messageID: messageID)
        let html = message.htmlBody ?? HTMLRendering.document(text: message.body, title: message.subject)
        let headers = [
            "From: \(from.headerValue)",
            "To: \(recipient.headerValue)",
            "Subject: \(HeaderEncoding.unstructured(message.subject, headerName: "Subject"))",
            "Date: \(RFC5322Date.format(message.createdAt))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"",
        ]
        let lines = headers + [
            "",
            "This is a MIME message: a text and an HTML version of the same content.",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            QuotedPrintable.encode(message.body),
            "--\(boundary)",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            QuotedPrintable.encode(html),
            "--\(boundary)--",
            "",
        ]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    /// `=_mfad_` and the Message-ID's letters and digits. `=_` can never occur in quoted-printable
    /// text (`=` is always followed by two hex digits or a line break there), so the boundary never
    /// collides with a part's content.
    static func boundary(messageID: String) -> String {
        let token = String(messageID.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }.prefix(40))
        return "=_mfad_\(token)"
    }

    /// `left@right`, printable ASCII, no angle brackets or spaces.
    static func isValidMessageID(_ id: String) -> Bool {
        let parts = id.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty } && id.utf8.count <= 250
            && id.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }
}
