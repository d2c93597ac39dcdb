import ArgumentParser
import MFACtlSupport
import MFAWire

/// `mfactl recovery-codes`: RegenerateRecoveryCodes.
struct RecoveryCodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery-codes",
        abstract: "Replace every recovery code of the session's account (RegenerateRecoveryCodes).",
        discussion: "Prints the 10 new codes; the old ones stop working. Needs the password.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var password: PasswordOption

    @Option(help: "The session token of a login of the account.")
    var sessionToken: String

    func run() async throws {
        let request = RegenerateRecoveryCodesRequest(sessionToken: sessionToken, password: password.value)
        output.emit(try await connection.withClient { try await $0.regenerateRecoveryCodes(request) })
    }
}

/// `mfactl devices`: ListTrustedDevices and RemoveTrustedDevice.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List or remove the trusted devices of the session's account.",
        subcommands: [List.self, Remove.self]
    )

    /// `mfactl devices list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List trusted devices, most recently used first (ListTrustedDevices).",
            discussion: "Prints each device's id, label, created, last used and expiry times.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The session token of a login of the account.")
        var sessionToken: String

        func run() async throws {
            let request = ListTrustedDevicesRequest(sessionToken: sessionToken)
            output.emit(try await connection.withClient { try await $0.listTrustedDevices(request) })
        }
    }

    /// `mfactl devices remove`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Stop trusting one device (RemoveTrustedDevice).",
            discussion: "Its next login needs a code again. Prints 'ok' ({} with --json).")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The session token of a login of the account.")
        var sessionToken: String

        @Option(help: "The device_id from 'mfactl devices list'.")
        var deviceID: String

        func run() async throws {
            let request = RemoveTrustedDeviceRequest(sessionToken: sessionToken, deviceID: deviceID)
            output.emit(try await connection.withClient { try await $0.removeTrustedDevice(request) })
        }
    }
}

/// `mfactl disable-mfa`: DisableMfa.
struct DisableMfaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable-mfa",
        abstract: "Remove TOTP, recovery codes and trusted devices (DisableMfa).",
        discussion: "Refused with MFA_ENFORCED while MFA is enforced for the account. Needs the password.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var password: PasswordOption

    @Option(help: "The session token of a login of the account.")
    var sessionToken: String

    func run() async throws {
        let request = DisableMfaRequest(sessionToken: sessionToken, password: password.value)
        output.emit(try await connection.withClient { try await $0.disableMfa(request) })
    }
}

/// `mfactl change-password`: ChangePassword.
struct ChangePasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change-password",
        abstract: "Change the password; revokes trusted devices and other sessions (ChangePassword).",
        discussion: """
            The current password comes from --password or MFA_PASSWORD, the new one from \
            --new-password or MFA_NEW_PASSWORD. Neither is ever printed.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var password: PasswordOption

    @Option(help: "The session token of a login of the account.")
    var sessionToken: String

    @Option(help: "The new password (prefer MFA_NEW_PASSWORD in the environment).")
    var newPassword: String?

    func run() async throws {
        guard let new = newPassword ?? EnvironmentVariable.value("MFA_NEW_PASSWORD") else {
            throw ValidationError("Missing new password: set MFA_NEW_PASSWORD in the environment, or pass --new-password.")
        }
        let request = ChangePasswordRequest(sessionToken: sessionToken, oldPassword: password.value, newPassword: new)
        output.emit(try await connection.withClient { try await $0.changePassword(request) })
    }
}

/// `mfactl reset-mfa`: ResetMfa (support).
struct ResetMfaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-mfa",
        abstract: "Remove an account's TOTP, recovery codes and trusted devices (ResetMfa, support).",
        discussion: "Prints 'ok' ({} with --json). An unknown account fails with NOT_FOUND.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The account to reset.")
    var accountID: String

    func run() async throws {
        let request = ResetMfaRequest(accountID: accountID)
        output.emit(try await connection.withClient { try await $0.resetMfa(request) })
    }
}
