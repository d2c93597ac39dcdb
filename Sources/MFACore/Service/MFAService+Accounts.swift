/// What `CreateAccount` needs.
public struct NewAccount: Sendable {
    public var email: String
    public var password: String
    public var phone: String
    public var plan: String
    public var workspace: String

    /// - Parameters: the `CreateAccountRequest` fields, unvalidated.
    public init(email: String, password: String, phone: String, plan: String, workspace: String) {
        self.email = email
        self.password = password
        self.phone = phone
        self.plan = plan
        self.workspace = workspace
    }
}

extension MFAService {
    /// `CreateAccount`: validates every field, hashes the password, stores the account, and sends
    /// a confirmation code by email and another by SMS (SPEC 3); login waits for both.
    /// - Returns: the new account's id.
    /// - Throws: `INVALID_ARGUMENT` naming the field, `ALREADY_EXISTS` for a taken email.
    public func createAccount(_ input: NewAccount) async throws(MFAError) -> String {
        let email: EmailAddress
        let phone: PhoneNumber
        let plan: Identifier
        let workspace: Identifier
        do {
            email = try EmailAddress(input.email)
            try configuration.passwordPolicy.validate(input.password)
            phone = try PhoneNumber(input.phone)
            plan = try Identifier(input.plan, field: .plan)
            workspace = try Identifier(input.workspace, field: .workspace)
        } catch {
            throw MFAError.invalid(error)
        }
        let passwordHash: String
        do {
            passwordHash = try await passwords.hash(input.password)
        } catch {
            throw MFAError.unavailable(error)
        }
        let id = newIdentifier()
        let now = clock.now()
        let account = AccountRecord(id: id, email: email.value, passwordHash: passwordHash, phone: phone.e164,
                                    plan: plan.value, workspace: workspace.value, createdAt: now, passwordChangedAt: now)
        return try await transact { tx in
            guard try await tx.account(email: account.email) == nil else {
                return .failure(MFAError(.alreadyExists, "An account with this email already exists."))
            }
            try await tx.insertAccount(account)
            try await tx.appendAudit(AuditRecord(at: now, accountID: id, kind: .accountCreated, detail: "plan=\(account.plan) workspace=\(account.workspace)"))
            for channel in ContactChannel.allCases {
                try await self.sendContactCode(channel, to: account, tx: tx, now: now)
            }
            return .success(id)
        }
    }
}
