import MFAClient
import MFAWire
import Testing

/// SPEC 3 and docs/behaviour.md: `CreateAccount` refuses bad input, naming the field, and duplicates.
@Suite(.serialized) struct AccountValidationTests {
    /// A field, a bad value for it, and what the refusal must name.
    struct BadField: Sendable, CustomTestStringConvertible {
        let field: String
        let request: CreateAccountRequest
        var testDescription: String { field }

        static func with(_ field: String, _ change: (inout CreateAccountRequest) -> Void) -> BadField {
            var request = CreateAccountRequest(
                email: "alice@example.com", password: defaultPassword, phone: "+41791234567", plan: "pro", workspace: "acme")
            change(&request)
            return BadField(field: field, request: request)
        }
    }

    static let badFields: [BadField] = [
        .with("email") { $0.email = "not-an-email" },
        .with("email") { $0.email = "" },
        .with("password") { $0.password = "short7!" },
        .with("phone") { $0.phone = "12345" },
        .with("phone") { $0.phone = "+0123456789" },
        .with("plan") { $0.plan = "Pro" },
        .with("plan") { $0.plan = "" },
        .with("workspace") { $0.workspace = "acme corp" },
    ]

    @Test(arguments: badFields)
    func badFieldIsAnInvalidArgumentNamingTheField(_ bad: BadField) async throws {
        try await withMfad { mfad in
            let error = await expectError(.invalidArgument) { try await mfad.client.createAccount(bad.request) }
            #expect(error?.message.lowercased().contains(bad.field) == true, "\(String(describing: error))")
        }
    }

    @Test func passwordOfEightCharactersIsAccepted() async throws {
        try await withMfad { mfad in
            try await mfad.createAccount("alice@example.com", password: "12345678")
        }
    }

    @Test func duplicateEmailAlreadyExists() async throws {
        try await withMfad { mfad in
            try await mfad.createAccount("alice@example.com")
            await expectError(.alreadyExists) { try await mfad.createAccount("alice@example.com") }
            // The email is normalised (trimmed, lower-cased) before the comparison.
            await expectError(.alreadyExists) { try await mfad.createAccount(" ALICE@Example.com ") }
        }
    }

    @Test func refusedAccountIsNotCreated() async throws {
        try await withMfad { mfad in
            await expectError(.invalidArgument) { try await mfad.createAccount("alice@example.com", password: "short") }
            try await mfad.createAccount("alice@example.com")
        }
    }
}

/// docs/behaviour.md (the address rule): `CreateAccount` and `InviteUser` refuse every address
/// the mailer could not send, as `INVALID_ARGUMENT` naming `email`, and nothing is queued for it.
@Suite(.serialized) struct UnsendableAddressTests {
    /// Each broke the mailer's header or envelope while the old validation accepted it.
    static let unsendable = [
        "<script>@x.y", "a,b@example.com", "a;b@example.com", "c@example.com>", "\"quoted\"@example.com",
        "\"a b\"@example.com", "a(b)@example.com", "a\\b@example.com", "a..b@example.com", ".a@example.com",
        "a@example.com.", "a@-example.com", "a@exa_mple.com", "a@[127.0.0.1]", "a@127.0.0.1", "jörg@example.de",
    ]

    @Test func createAccountAndInviteUserRefuseUnsendableAddresses() async throws {
        try await withMfad { mfad in
            let inviter = try await mfad.createAccount("boss@example.com")
            let session = try await mfad.login(inviter).sessionToken
            let queuedBefore = try await mfad.outbox().count
            for address in Self.unsendable {
                let created = await expectError(.invalidArgument) {
                    try await mfad.client.createAccount(CreateAccountRequest(
                        email: address, password: defaultPassword, phone: "+41791234567", plan: "pro", workspace: "acme"))
                }
                #expect(created?.message.hasPrefix("email: ") == true, "CreateAccount \(address): \(String(describing: created))")
                let invited = await expectError(.invalidArgument) {
                    try await mfad.client.inviteUser(InviteUserRequest(workspace: "acme", email: address, inviterSessionToken: session))
                }
                #expect(invited?.message.hasPrefix("email: ") == true, "InviteUser \(address): \(String(describing: invited))")
            }
            #expect(try await mfad.outbox().count == queuedBefore, "a refused address got a message queued")
            // Ordinary addresses, apostrophe and sub-addressing included, still work.
            try await mfad.createAccount("o'brien@example.com")
            _ = try await mfad.client.inviteUser(InviteUserRequest(workspace: "acme", email: "a+tag@sub.example.co.uk",
                                                                  inviterSessionToken: session))
        }
    }
}
