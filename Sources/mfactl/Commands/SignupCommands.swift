import ArgumentParser
import MFAWire

/// `mfactl verify-contact`: VerifyContact.
struct VerifyContactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-contact",
        abstract: "Confirm a new account's email address or phone with its code (VerifyContact).",
        discussion: "Prints which contacts are confirmed. Login works once both are.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The account_id printed by 'mfactl create-account'.")
    var accountID: String

    @Option(help: "email or sms.")
    var channel: String

    @Option(help: "The code that was sent.")
    var code: String

    func run() async throws {
        let request = VerifyContactRequest(accountID: accountID, channel: channel, code: code)
        output.emit(try await connection.withClient { try await $0.verifyContact(request) })
    }
}

/// `mfactl resend-contact`: ResendContactCode.
struct ResendContactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resend-contact",
        abstract: "Send a new confirmation code by email or SMS (ResendContactCode).",
        discussion: "Prints when the new code expires and how many resends remain; the old code stops working.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The account to confirm.")
    var accountID: String

    @Option(help: "email or sms.")
    var channel: String

    func run() async throws {
        let request = ResendContactCodeRequest(accountID: accountID, channel: channel)
        output.emit(try await connection.withClient { try await $0.resendContactCode(request) })
    }
}

/// `mfactl invite`: InviteUser.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Email an invitation into the inviter's workspace (InviteUser).",
        discussion: "Prints the invitation id and when it expires.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The inviter's workspace.")
    var workspace: String

    @Option(help: "Who to invite.")
    var email: String

    @Option(help: "The session token of the inviter.")
    var inviterSessionToken: String

    func run() async throws {
        let request = InviteUserRequest(workspace: workspace, email: email, inviterSessionToken: inviterSessionToken)
        output.emit(try await connection.withClient { try await $0.inviteUser(request) })
    }
}

/// `mfactl accept-invite`: AcceptInvite.
struct AcceptInviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept-invite",
        abstract: "Create the invited account with a password (AcceptInvite).",
        discussion: "Prints the new account id. The invitation works once.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var password: PasswordOption

    @Option(help: "The token from the invitation link.")
    var token: String

    func run() async throws {
        let request = AcceptInviteRequest(token: token, password: password.value)
        output.emit(try await connection.withClient { try await $0.acceptInvite(request) })
    }
}
