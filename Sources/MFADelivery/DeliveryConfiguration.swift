/// Where and how the outbox is delivered (SPEC 5). Nothing configured is the embedded default:
/// messages stay `held` in the outbox and no worker runs.
///
/// The password and the token come from the environment only (`MFAD_SMTP_PASSWORD`,
/// `MFAD_SMS_TOKEN`), never from flags (which `ps` shows); ``description`` never prints them.
public struct DeliveryConfiguration: Sendable, CustomStringConvertible {
    /// `smtp://host[:port]` (STARTTLS when offered) or `smtps://host[:port]`; nil: no email.
    public var smtpURL: String?
    /// The SMTP AUTH user; nil: no AUTH.
    public var smtpUser: String?
    /// The SMTP AUTH password (environment `MFAD_SMTP_PASSWORD` only).
    public var smtpPassword: String?
    /// The sender, `name@example.com` or `Name <name@example.com>`; required with `smtpURL`.
    public var mailFrom: String?
    /// The gateway that SMS are POSTed to; nil: no SMS.
    public var smsGatewayURL: String?
    /// The gateway's bearer token (environment `MFAD_SMS_TOKEN` only).
    public var smsToken: String?
    /// PEM file of the certificate authorities to trust for SMTP and the gateway; nil: the system's.
    public var caFile: String?
    /// Attempts before a message is marked `dead`. Default 8.
    public var maxAttempts: Int
    /// The wait between attempts.
    public var backoff: DeliveryBackoff
    /// Messages claimed at once. Default 10.
    public var batchSize: Int
    /// How long a claim holds before an unfinished message is claimed again, in seconds. It must
    /// exceed what a whole batch can take (`batchSize * sendTimeoutSeconds`). Default 600.
    public var leaseSeconds: Int64
    /// The longest one send may take, in seconds. Default 30.
    public var sendTimeoutSeconds: Int
    /// How often the worker looks for due messages when nobody pokes it. Default 1 s.
    public var pollInterval: Duration

    /// Nothing configured; every number at its default.
    public init(smtpURL: String? = nil, smtpUser: String? = nil, smtpPassword: String? = nil, mailFrom: String? = nil,
                smsGatewayURL: String? = nil, smsToken: String? = nil, caFile: String? = nil, maxAttempts: Int = 8,
                backoff: DeliveryBackoff = DeliveryBackoff(), batchSize: Int = 10, leaseSeconds: Int64 = 600,
                sendTimeoutSeconds: Int = 30, pollInterval: Duration = .seconds(1)) {
        self.smtpURL = smtpURL
        self.smtpUser = smtpUser
        self.smtpPassword = smtpPassword
        self.mailFrom = mailFrom
        self.smsGatewayURL = smsGatewayURL
        self.smsToken = smsToken
        self.caFile = caFile
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.batchSize = batchSize
        self.leaseSeconds = leaseSeconds
        self.sendTimeoutSeconds = sendTimeoutSeconds
        self.pollInterval = pollInterval
    }

    /// Whether email is delivered (an SMTP URL is set).
    public var isEmailConfigured: Bool { smtpURL != nil }
    /// Whether SMS are delivered (a gateway URL is set).
    public var isSMSConfigured: Bool { smsGatewayURL != nil }
    /// Whether a delivery worker should run.
    public var isConfigured: Bool { isEmailConfigured || isSMSConfigured }

    /// The right-hand side of new Message-IDs: the domain of `mailFrom`, else `mfad.invalid`.
    public var messageIDDomain: String {
        (mailFrom.flatMap { try? MailAddress(parsing: $0) })?.domain ?? "mfad.invalid"
    }

    /// Checks the numbers and builds a sender for each configured channel.
    /// - Returns: The senders by channel (`email`, `sms`); empty when nothing is configured.
    /// - Throws: ``DeliveryError/Kind/invalidConfiguration`` naming the setting to fix.
    public func makeSenders() throws(DeliveryError) -> [String: any MessageSender] {
        try validate()
        var senders: [String: any MessageSender] = [:]
        if let smtpURL {
            guard let mailFrom else { throw .invalidConfiguration("--smtp-url needs --mail-from (the sender address)") }
            senders["email"] = try SMTPSender(url: smtpURL, user: smtpUser, password: smtpPassword,
                                              from: try MailAddress(parsing: mailFrom), caFile: caFile,
                                              timeoutSeconds: sendTimeoutSeconds)
        } else if smtpUser != nil || mailFrom != nil {
            throw .invalidConfiguration("--smtp-user and --mail-from need --smtp-url")
        }
        if let smsGatewayURL {
            senders["sms"] = try HTTPSMSSender(url: smsGatewayURL, token: smsToken, caFile: caFile, timeoutSeconds: sendTimeoutSeconds)
        }
        return senders
    }

    /// Checks the numbers.
    /// - Throws: ``DeliveryError/Kind/invalidConfiguration`` naming the setting to fix.
    public func validate() throws(DeliveryError) {
        guard (1...100).contains(maxAttempts) else { throw .invalidConfiguration("--max-delivery-attempts must be 1 to 100") }
        try backoff.validate()
        guard (1...1000).contains(batchSize) else { throw .invalidConfiguration("the delivery batch size must be 1 to 1000") }
        guard (1...3600).contains(sendTimeoutSeconds) else { throw .invalidConfiguration("the send timeout must be 1 to 3600 s") }
        guard leaseSeconds > Int64(batchSize) * Int64(sendTimeoutSeconds) else {
            throw .invalidConfiguration("the delivery lease must exceed batch size x send timeout")
        }
        guard pollInterval > .zero else { throw .invalidConfiguration("the delivery poll interval must be positive") }
    }

    /// The settings, with the password and the token shown only as set or not.
    public var description: String {
        func show(_ value: String?) -> String { value ?? "-" }
        return "smtp-url=\(show(smtpURL)) smtp-user=\(show(smtpUser)) smtp-password=\(smtpPassword == nil ? "unset" : "set")"
            + " mail-from=\(show(mailFrom)) sms-gateway-url=\(show(smsGatewayURL)) sms-token=\(smsToken == nil ? "unset" : "set")"
            + " max-attempts=\(maxAttempts) backoff=\(backoff.baseSeconds)s..\(backoff.maximumSeconds)s"
    }
}
