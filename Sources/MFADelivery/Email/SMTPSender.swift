import CCurl
import Foundation
import MFACore

/// Sends email over SMTP with libcurl: implicit TLS for `smtps://`, STARTTLS for `smtp://` when
/// the server offers it (required when credentials would otherwise cross the network in clear),
/// AUTH when a user is configured, and the MIME message of ``EmailComposer`` as `DATA`.
///
/// Transfers run one at a time on a Dispatch queue of the sender's own, never on the caller's
/// thread. A message counts as sent only when libcurl finished the transfer and the server's last
/// reply was 2xx (250 after `DATA`).
public final class SMTPSender: MessageSender {
    /// How the connection is protected.
    public enum TLSPolicy: String, Sendable, Hashable {
        /// `smtps://`: TLS from the first byte.
        case implicit
        /// `smtp://`: STARTTLS when the server offers it, else plain text (no credentials, or a
        /// loopback server).
        case startTLSIfOffered
        /// `smtp://` with credentials to a server that is not on loopback: STARTTLS or no send,
        /// so that a stripped STARTTLS offer cannot expose the password.
        case startTLSRequired
    }

    /// The server URL, e.g. `smtp://mail.example.com:587`.
    public let url: String
    /// How the connection is protected.
    public let tlsPolicy: TLSPolicy
    /// Builds the messages.
    public let composer: EmailComposer
    private let user: String?
    private let password: String?
    private let caFile: String?
    private let timeoutSeconds: Int
    private let executor = CurlExecutor(label: "mfad-smtp")

    /// - Parameters:
    ///   - url: `smtp://host[:port]` or `smtps://host[:port]` (credentials never go in the URL).
    ///   - user: The AUTH user, or nil for no AUTH.
    ///   - password: The AUTH password (required with `user`).
    ///   - from: The sender address (`From` header and `MAIL FROM`).
    ///   - caFile: PEM file of the certificate authorities to trust instead of the system's.
    ///   - timeoutSeconds: The longest one message may take, connection included.
    /// - Throws: ``DeliveryError/Kind/invalidConfiguration`` naming the setting to fix.
    public init(url: String, user: String? = nil, password: String? = nil, from: MailAddress,
                caFile: String? = nil, timeoutSeconds: Int = 30) throws(DeliveryError) {
        let parsed = try EndpointURL(url, schemes: ["smtp", "smtps"], option: "--smtp-url")
        if user != nil, password == nil {
            throw .invalidConfiguration("--smtp-user needs a password in the environment variable MFAD_SMTP_PASSWORD")
        }
        if user == nil, password != nil {
            throw .invalidConfiguration("MFAD_SMTP_PASSWORD is set without --smtp-user")
        }
        guard timeoutSeconds > 0 else { throw .invalidConfiguration("the SMTP timeout must be at least 1 s") }
        self.url = url
        self.user = user
        self.password = password
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
        self.composer = EmailComposer(from: from)
        if parsed.scheme == "smtps" {
            tlsPolicy = .implicit
        } else if user != nil, !parsed.isLoopback {
            tlsPolicy = .startTLSRequired
        } else {
            tlsPolicy = .startTLSIfOffered
        }
    }

    public func send(_ message: OpenedOutboxMessage) async throws {
        let data = try composer.compose(message)
        let recipient = try MailAddress(address: message.recipient)
        try await executor.run { [self] () throws(DeliveryError) in
            try transfer(data, to: recipient)
        }
    }

    /// One SMTP session: connect, (STARTTLS,) (AUTH,) MAIL FROM, RCPT TO, DATA, QUIT.
    private func transfer(_ data: [UInt8], to recipient: MailAddress) throws(DeliveryError) {
        let transfer = try CurlTransfer()
        try transfer.set(CURLOPT_URL, url)
        try transfer.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        switch tlsPolicy {
        case .implicit, .startTLSRequired:
            try transfer.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        case .startTLSIfOffered:
            try transfer.set(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
        }
        if let caFile { try transfer.set(CURLOPT_CAINFO, caFile) }
        if let user, let password {
            try transfer.set(CURLOPT_USERNAME, user)
            try transfer.set(CURLOPT_PASSWORD, password)
        }
        try transfer.set(CURLOPT_CONNECTTIMEOUT, min(10, timeoutSeconds))
        try transfer.set(CURLOPT_TIMEOUT, timeoutSeconds)
        try transfer.set(CURLOPT_MAIL_FROM, composer.from.envelope)
        try transfer.set(CURLOPT_MAIL_RCPT, [recipient.envelope])
        try transfer.setUpload(data)
        let (result, reply) = transfer.perform()
        if result == CURLE_OK, (200...299).contains(reply) { return }
        let what = CurlTransfer.describe(result)
        if reply >= 400 {
            throw .rejected("SMTP server replied \(reply) (\(what))")
        }
        if result == CURLE_OK {
            throw .rejected("SMTP server's last reply was \(reply), not 2xx")
        }
        throw .transferFailed("SMTP: \(what)")
    }
}

/// A delivery endpoint's URL, checked: one of the allowed schemes, a host, and no credentials.
struct EndpointURL {
    let scheme: String
    let host: String

    init(_ text: String, schemes: Set<String>, option: String) throws(DeliveryError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              schemes.contains(scheme) else {
            throw .invalidConfiguration("\(option) must be a URL starting with \(schemes.sorted().map { "\($0)://" }.joined(separator: " or "))")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidConfiguration("\(option) has no host")
        }
        guard components.user == nil, components.password == nil else {
            throw .invalidConfiguration("\(option) must not hold credentials; use the separate options and environment variables")
        }
        self.scheme = scheme
        self.host = host.lowercased()
    }

    /// True for `localhost`, `127.x.x.x` and `::1`.
    var isLoopback: Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
