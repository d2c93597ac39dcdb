import MFACore
import Testing

@testable import MFADelivery

/// The mailer and validation share one address rule (`EmailAddress.validate`): every address
/// that `CreateAccount` or `InviteUser` accepts is composed and enveloped without error, and
/// the mailer refuses what validation refuses.
@Suite("Mail address rule")
struct MailAddressRuleTests {
    /// A small deterministic generator (SplitMix64), so a failure names a reproducible case.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick(_ characters: [Character], count: Int) -> String {
            String((0..<count).map { _ in characters[below(characters.count)] })
        }
    }

    static let atext = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
    static let letterDigit = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// An address the rule must accept: dot-atom local part, LDH labels, a letter TLD.
    static func acceptableAddress(_ generator: inout Generator) -> String {
        let local = (0..<(1 + generator.below(3))).map { _ in generator.pick(atext, count: 1 + generator.below(8)) }.joined(separator: ".")
        var labels = (0..<(1 + generator.below(3))).map { _ -> String in
            let inner = generator.below(2) == 0 ? "" : generator.pick(letterDigit + ["-"], count: generator.below(6))
            return generator.pick(letterDigit, count: 1) + inner + (inner.isEmpty ? "" : generator.pick(letterDigit, count: 1))
        }
        labels.append(generator.pick(Array("abcdefghijklmnopqrstuvwxyz"), count: 2 + generator.below(4)))
        return local + "@" + labels.joined(separator: ".")
    }

    static func outbox(to recipient: String) -> OpenedOutboxMessage {
        OpenedOutboxMessage(
            record: OutboxRecord(id: 1, createdAt: .testModeStart, channel: "email", recipient: recipient, subject: "Your code",
                                 sealedContent: nil, state: .queued, messageID: "0123456789abcdef0123456789abcdef@example.com"),
            content: OutboxContent(body: "Your code is: ABC234", code: "ABC234"))
    }

    @Test func everyAcceptedAddressIsComposedAndEnveloped() throws {
        var generator = Generator(state: 14)
        let composer = EmailComposer(from: try MailAddress(parsing: "mfad <no-reply@example.com>"))
        let handPicked = ["o'brien@example.com", "a+tag@sub.example.co.uk", "x@xn--exmple-cua.de", "!#$%&'*+-/=?^_`{|}~@example.com"]
        for raw in handPicked + (0..<200).map({ _ in Self.acceptableAddress(&generator) }) {
            let accepted = try EmailAddress(raw).value
            let address = try MailAddress(address: accepted)
            #expect(address.envelope == "<\(accepted)>")
            let message = String(decoding: try composer.compose(Self.outbox(to: accepted)), as: UTF8.self)
            #expect(message.contains("\r\nTo: \(accepted)\r\n"), "\(accepted)")
        }
    }

    @Test(arguments: [
        "<script>@x.y", "a,b@example.com", "a;b@example.com", "c@example.com>", "\"quoted\"@example.com",
        "a b@example.com", "a..b@example.com", "a@[127.0.0.1]", "jörg@example.de", "a@exa_mple.com",
    ])
    func theMailerRefusesWhatValidationRefuses(raw: String) {
        #expect(throws: ValidationError.self) { try EmailAddress(raw) }
        let error = #expect(throws: DeliveryError.self) { try MailAddress(address: raw) }
        #expect(error?.kind == .invalidMessage)
        #expect(throws: DeliveryError.self) { try EmailComposer(from: try MailAddress(parsing: "no-reply@example.com")).compose(Self.outbox(to: raw)) }
    }

    /// Over arbitrary short strings of address-like characters, the mailer accepts exactly what
    /// the rule accepts.
    @Test func theMailerAndTheRuleAgreeOnArbitraryStrings() {
        var generator = Generator(state: 5322)
        let alphabet = Array("ab9.-_@<>,;\"' +()[]\\:ö")
        for _ in 0..<2000 {
            let text = generator.pick(alphabet, count: 1 + generator.below(12))
            let ruleAccepts = (try? EmailAddress.validate(text)) != nil
            let mailerAccepts = (try? MailAddress(address: text)) != nil
            #expect(ruleAccepts == mailerAccepts, "\(text)")
        }
    }
}
