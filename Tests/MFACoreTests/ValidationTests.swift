import Testing
@testable import MFACore

@Suite("Validation")
struct ValidationTests {
    @Test(arguments: [
        ("", ValidationError.passwordTooShort(minimum: 8)),
        ("1234567", .passwordTooShort(minimum: 8)),
        ("12345678", nil),
        ("pässwörd", nil),
        ("🔐🔐🔐🔐🔐🔐🔐", .passwordTooShort(minimum: 8)),
        ("🔐🔐🔐🔐🔐🔐🔐🔐", nil),
        ("        ", nil),
        (String(repeating: "a", count: 256), nil),
        (String(repeating: "a", count: 257), .passwordTooLong(maximum: 256)),
    ] as [(String, ValidationError?)])
    func passwordPolicy(password: String, expected: ValidationError?) {
        let policy = PasswordPolicy()
        if let expected {
            #expect(throws: expected) { try policy.validate(password) }
        } else {
            #expect(throws: Never.self) { try policy.validate(password) }
        }
    }

    @Test func passwordMessagesNameTheRule() {
        #expect(ValidationError.passwordTooShort(minimum: 8).message == "The password must be at least 8 characters long.")
        #expect(ValidationError.passwordTooLong(maximum: 256).message == "The password must be at most 256 characters long.")
        #expect(ValidationError.passwordTooShort(minimum: 8).field == .password)
    }

    @Test func passwordLengthCountsCodePoints() {
        // "é" decomposed is two code points: 4 of them make 8.
        #expect(throws: Never.self) { try PasswordPolicy().validate(String(repeating: "e\u{301}", count: 4)) }
    }

    @Test(arguments: [
        ("alice@example.com", "alice@example.com"),
        ("  Alice@Example.COM \n", "alice@example.com"),
        ("a.b+tag@sub.example.co.uk", "a.b+tag@sub.example.co.uk"),
        ("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"),
        ("o'brien@example.com", "o'brien@example.com"),
        ("O'Brien@Example.COM", "o'brien@example.com"),
        ("!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~@example.com"),
        ("first.middle.last@mail-server.example.org", "first.middle.last@mail-server.example.org"),
        ("x@xn--exmple-cua.de", "x@xn--exmple-cua.de"),
        ("user@123.example.com", "user@123.example.com"),
        ("a@b.co", "a@b.co"),
    ])
    func validEmails(raw: String, normalized: String) throws {
        #expect(try EmailAddress(raw).value == normalized)
        #expect(EmailAddress.normalizedKey(raw) == normalized)
    }

    @Test(arguments: [
        ("", ValidationError.emailEmpty),
        ("   ", .emailEmpty),
        ("alice", .emailNotExactlyOneAt),
        ("alice@@example.com", .emailNotExactlyOneAt),
        ("a@b@example.com", .emailNotExactlyOneAt),
        ("@example.com", .emailEmptyLocalPart),
        ("alice@", .emailInvalidDomain),
        ("alice@localhost", .emailInvalidDomain),
        ("alice@.example.com", .emailInvalidDomain),
        ("alice@example..com", .emailInvalidDomain),
        ("alice@example.com.", .emailInvalidDomain),
        ("alice@" + String(repeating: "a", count: 64) + ".com", .emailInvalidDomain),
        ("al ice@example.com", .emailForbiddenCharacter),
        ("alice@exa\tmple.com", .emailForbiddenCharacter),
        ("alice\u{0}@example.com", .emailForbiddenCharacter),
        ("alice\u{200B}@example.com", .emailForbiddenCharacter),
        ("alice\r\nbcc@example.com", .emailForbiddenCharacter),
        (String(repeating: "a", count: 65) + "@example.com", .emailLocalPartTooLong(maximum: 64)),
        ("a@" + String(repeating: "b", count: 62) + "." + String(repeating: "c", count: 62) + "."
            + String(repeating: "d", count: 62) + "." + String(repeating: "e", count: 62) + ".com", .emailTooLong(maximum: 254)),
    ] as [(String, ValidationError)])
    func invalidEmails(raw: String, expected: ValidationError) {
        #expect(throws: expected) { try EmailAddress(raw) }
    }

    /// Addresses the mailer cannot put into `RCPT TO` or `To:` (issue 14): every one is refused.
    @Test(arguments: [
        ("<script>@x.y", ValidationError.emailInvalidLocalPart),
        ("a,b@example.com", .emailInvalidLocalPart),
        ("a;b@example.com", .emailInvalidLocalPart),
        ("c@example.com>", .emailInvalidDomain),
        ("\"quoted\"@example.com", .emailInvalidLocalPart),
        ("\"a@b\"@example.com", .emailNotExactlyOneAt),
        ("a(comment)@example.com", .emailInvalidLocalPart),
        ("a\\b@example.com", .emailInvalidLocalPart),
        ("a[b]@example.com", .emailInvalidLocalPart),
        ("a:b@example.com", .emailInvalidLocalPart),
        (".alice@example.com", .emailInvalidLocalPart),
        ("alice.@example.com", .emailInvalidLocalPart),
        ("al..ice@example.com", .emailInvalidLocalPart),
        ("alice@-example.com", .emailInvalidDomain),
        ("alice@example-.com", .emailInvalidDomain),
        ("alice@exa_mple.com", .emailInvalidDomain),
        ("alice@example.c*m", .emailInvalidDomain),
        ("alice@[127.0.0.1]", .emailInvalidDomain),
        ("alice@127.0.0.1", .emailInvalidDomain),
        ("alice@example.123", .emailInvalidDomain),
        ("jörg@example.de", .emailNotASCII),
        ("joerg@exämple.de", .emailNotASCII),
        ("alice@ｅxample.com", .emailNotASCII),
    ] as [(String, ValidationError)])
    func unsendableEmails(raw: String, expected: ValidationError) {
        #expect(throws: expected) { try EmailAddress(raw) }
        #expect(throws: expected) { try EmailAddress.validate(raw) }
        #expect(expected.field == .email)
        #expect(expected.description.hasPrefix("invalid email: "))
    }

    @Test func validateTakesTheAddressAsItIs() throws {
        try EmailAddress.validate("No-Reply@Example.COM")
        #expect(throws: ValidationError.emailForbiddenCharacter) { try EmailAddress.validate(" a@example.com") }
    }

    /// Login looks accounts up by the shape alone, so that one created before the full rule
    /// (a non-ASCII address) can still sign in; the shape's own refusals stay.
    @Test func lookupChecksTheShapeOnly() throws {
        #expect(try EmailAddress(lookingUp: " Jörg@Exämple.DE ").value == "jörg@exämple.de")
        #expect(try EmailAddress(lookingUp: "a,b@example.com").value == "a,b@example.com")
        #expect(throws: ValidationError.emailNotExactlyOneAt) { try EmailAddress(lookingUp: "alice") }
        #expect(throws: ValidationError.emailForbiddenCharacter) { try EmailAddress(lookingUp: "al ice@example.com") }
        #expect(throws: ValidationError.emailInvalidDomain) { try EmailAddress(lookingUp: "alice@localhost") }
    }

    @Test func emailLengthBoundary() throws {
        // 64 + 1 + 189 = 254 bytes: accepted; one more byte is not.
        let local = String(repeating: "a", count: 64)
        let domain = String(repeating: "b", count: 63) + "." + String(repeating: "c", count: 63) + "." + String(repeating: "d", count: 57) + ".com"
        #expect(try EmailAddress(local + "@" + domain).value.utf8.count == 254)
        #expect(throws: ValidationError.emailTooLong(maximum: 254)) { try EmailAddress(local + "@e" + domain) }
    }

    @Test func emailMessages() {
        #expect(ValidationError.emailNotExactlyOneAt.message == "The email address must contain exactly one @.")
        #expect(ValidationError.emailInvalidDomain.field == .email)
    }

    @Test(arguments: [
        ("+41791234567", "+41791234567"),
        ("+41 79 123 45 67", "+41791234567"),
        ("+1-202-555-0143", "+12025550143"),
        ("+12345678", "+12345678"),
        ("+123456789012345", "+123456789012345"),
    ])
    func validPhones(raw: String, e164: String) throws {
        #expect(try PhoneNumber(raw).e164 == e164)
    }

    @Test(arguments: ["", "+", "41791234567", "+1234567", "+1234567890123456", "+0791234567", "+41 (79) 123 45 67", "+41.79.123.45.67", "+4179123456a", "++41791234567", "+４１791234567"])
    func invalidPhones(raw: String) {
        #expect(throws: ValidationError.phoneNotE164) { try PhoneNumber(raw) }
    }

    @Test(arguments: [
        ("trial", ValidationError?.none),
        ("acme-corp.eu_1", nil),
        (String(repeating: "a", count: 64), nil),
        ("", .identifierEmpty(.workspace)),
        (String(repeating: "a", count: 65), .identifierTooLong(.workspace, maximum: 64)),
        ("Acme", .identifierForbiddenCharacter(.workspace)),
        ("acme corp", .identifierForbiddenCharacter(.workspace)),
        ("acmé", .identifierForbiddenCharacter(.workspace)),
        ("acme/x", .identifierForbiddenCharacter(.workspace)),
    ])
    func workspaceNames(raw: String, expected: ValidationError?) {
        if let expected {
            #expect(throws: expected) { try Identifier(raw, field: .workspace) }
        } else {
            #expect((try? Identifier(raw, field: .workspace))?.value == raw)
        }
    }

    @Test func identifierMessagesNameTheField() {
        #expect(ValidationError.identifierForbiddenCharacter(.plan).message
            == "The plan name may only contain lower-case letters a-z, digits, '.', '_' and '-'.")
        #expect(ValidationError.identifierEmpty(.workspace).message == "The workspace name must not be empty.")
        #expect(ValidationError.identifierEmpty(.plan) != ValidationError.identifierEmpty(.workspace))
    }
}
