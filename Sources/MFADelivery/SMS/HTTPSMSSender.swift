import CCurl
import MFACore

/// Sends SMS through an HTTP gateway with libcurl: a POST of
/// `{"to": ..., "body": ..., "message_id": ...}` (`application/json`) with
/// `Authorization: Bearer <token>` and `Idempotency-Key: <message id>`. Any 2xx answer means the
/// gateway accepted the message; redirects are not followed.
///
/// Transfers run one at a time on a Dispatch queue of the sender's own.
public final class HTTPSMSSender: MessageSender {
    /// The gateway URL.
    public let url: String
    private let token: String?
    private let caFile: String?
    private let timeoutSeconds: Int
    private let executor = CurlExecutor(label: "mfad-sms")

    /// - Parameters:
    ///   - url: `http://` or `https://` gateway URL (credentials never go in the URL).
    ///   - token: The bearer token (`MFAD_SMS_TOKEN`), or nil to send no `Authorization`.
    ///   - caFile: PEM file of the certificate authorities to trust instead of the system's.
    ///   - timeoutSeconds: The longest one request may take, connection included.
    /// - Throws: ``DeliveryError/Kind/invalidConfiguration`` naming the setting to fix.
    public init(url: String, token: String?, caFile: String? = nil, timeoutSeconds: Int = 30) throws(DeliveryError) {
        _ = try EndpointURL(url, schemes: ["http", "https"], option: "--sms-gateway-url")
        if let token, token.isEmpty || !token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            throw .invalidConfiguration("MFAD_SMS_TOKEN must be printable ASCII without spaces")
        }
        guard timeoutSeconds > 0 else { throw .invalidConfiguration("the SMS gateway timeout must be at least 1 s") }
        self.url = url
        self.token = token
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(_ message: OpenedOutboxMessage) async throws {
        guard let messageID = message.messageID, messageID.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw DeliveryError.invalidMessage("outbox message \(message.id) has no usable message id (claim it first)")
        }
        let body = SMSRequest.json(for: message)
        try await executor.run { [self] () throws(DeliveryError) in
            try transfer(body, messageID: messageID)
        }
    }

    private func transfer(_ body: [UInt8], messageID: String) throws(DeliveryError) {
        let transfer = try CurlTransfer()
        try transfer.set(CURLOPT_URL, url)
        try transfer.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try transfer.set(CURLOPT_FOLLOWLOCATION, 0)
        if let caFile { try transfer.set(CURLOPT_CAINFO, caFile) }
        try transfer.set(CURLOPT_CONNECTTIMEOUT, min(10, timeoutSeconds))
        try transfer.set(CURLOPT_TIMEOUT, timeoutSeconds)
        var headers = ["Content-Type: application/json; charset=utf-8", "Idempotency-Key: \(messageID)", "Expect:"]
        if let token { headers.append("Authorization: Bearer \(token)") }
        try transfer.set(CURLOPT_HTTPHEADER, headers)
        try transfer.setPostBody(body)
        let (result, status) = transfer.perform()
        guard result == CURLE_OK else {
            throw .transferFailed("SMS gateway: \(CurlTransfer.describe(result))")
        }
        guard (200...299).contains(status) else {
            throw .rejected("SMS gateway answered HTTP \(status)")
        }
    }
}
