import Foundation
import MFAClient
import MFAProcessTestSupport
import MFAWire
import Testing

/// SPEC 5 and 6 on several nodes: every node runs a delivery worker on the shared outbox, and
/// each message is still sent exactly once (a claim on one node hides the row from the others).
@Suite(.serialized) struct MultiNodeDeliveryTests {
    static let accounts = 12

    @Test(.timeLimit(.minutes(3)))
    func everyOutboxMessageIsDeliveredExactlyOnce() async throws {
        try await withPythonSink("smtp_sink.py", module: "aiosmtpd") { smtp in
            try await withPythonSink("http_sink.py") { gateway in
                let delivery = ["--smtp-url", "smtp://127.0.0.1:\(smtp.port)", "--mail-from", "mfad <no-reply@example.com>",
                                "--sms-gateway-url", "http://127.0.0.1:\(gateway.port)/sms"]
                try await withCluster(extraArguments: delivery) { cluster in
                    try await deliverSignupCodes(cluster, smtp: smtp, gateway: gateway)
                }
            }
        }
    }

    private func deliverSignupCodes(_ cluster: TestCluster, smtp: PythonSink, gateway: PythonSink) async throws {
        // Sign-ups sent to the nodes in turn, all at once: each queues an email and an SMS.
        let addresses = (0..<Self.accounts).map { "user\($0)@example.com" }
        let phones = (0..<Self.accounts).map { "+4179100\(String(format: "%04d", $0))" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<Self.accounts {
                let client = cluster[index % cluster.nodes.count].client
                let request = CreateAccountRequest(email: addresses[index], password: defaultPassword, phone: phones[index],
                                                   plan: "pro", workspace: "acme")
                group.addTask { _ = try await client.createAccount(request) }
            }
            try await group.waitForAll()
        }

        try await waitUntil("every outbox message is sent", timeout: .seconds(30)) {
            let outbox = try await cluster[0].client.readOutbox().messages
            return outbox.count == 2 * Self.accounts && outbox.allSatisfy { $0.state == "sent" }
        }
        // A second send of a message would be under way by now: its row was claimed before it was marked sent.
        try await Task.sleep(for: .seconds(1))

        let emails = try smtp.received("json").map { try jsonObject(Data(contentsOf: $0)) }
        let emailIDs = try smtp.received("eml").map { try Self.messageID(ofEmail: $0) }
        #expect(emails.count == Self.accounts)
        #expect(Set(emailIDs).count == Self.accounts, "Message-IDs: \(emailIDs)")
        #expect(emails.flatMap { $0["rcpt_tos"] as? [String] ?? [] }.sorted() == addresses.sorted())

        let smsBodies = try gateway.received("json").map { file in
            try jsonObject(Data(((try jsonObject(Data(contentsOf: file)))["body"] as? String ?? "").utf8))
        }
        #expect(smsBodies.count == Self.accounts)
        #expect(Set(smsBodies.compactMap { $0["message_id"] as? String }).count == Self.accounts)
        #expect(smsBodies.compactMap { $0["to"] as? String }.sorted() == phones.sorted())

        // SPEC 8.1: once sent, a message keeps nothing of what it said, and a dump of the shared
        // database holds none of the codes the sinks received.
        let outbox = try await cluster[0].client.readOutbox().messages
        #expect(outbox.allSatisfy { $0.body.isEmpty && $0.code.isEmpty && $0.linkToken.isEmpty })
        let codes = smsBodies.compactMap { sms -> String? in
            guard let text = sms["body"] as? String, let range = text.range(of: "code is ") else { return nil }
            return String(text[range.upperBound...].prefix(6))
        }
        #expect(codes.count == Self.accounts)
        let dump = try PostgresDump.text(of: cluster.database.url)
        #expect(dump.contains("user0@example.com"), "the dump holds the data: the search works")
        for secret in codes + ["confirmation code is"] {
            #expect(!dump.contains(secret), "'\(secret)' in the PostgreSQL dump")
        }
    }

    /// The `Message-ID` header of a stored email (headers end at the first empty line).
    static func messageID(ofEmail file: URL) throws -> String {
        let text = try String(contentsOf: file, encoding: .utf8)
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: false).prefix(while: { !$0.isEmpty })
        where line.lowercased().hasPrefix("message-id:") {
            return line.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces)
        }
        throw TestFailure(description: "no Message-ID header in \(file.lastPathComponent)")
    }
}
