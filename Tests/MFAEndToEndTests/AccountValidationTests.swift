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
