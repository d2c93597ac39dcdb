import ArgumentParser
import MFAWire

/// `mfactl verify`: VerifyMfa.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Complete a login challenge with a code (VerifyMfa).",
        discussion: """
            Prints session_token, device_token (set when --trust-device was given; pass it to \
            'mfactl login --device-token' later) and session_expires. A wrong code fails with \
            INVALID_CODE and the attempts remaining; too many lock the account (LOCKED).
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The challenge_id printed by 'mfactl login'.")
    var challengeID: String

    @Option(help: "The email code (case and spaces ignored), TOTP code or recovery code.")
    var code: String

    @Flag(help: "Trust this device: later logins with the printed device_token need no code.")
    var trustDevice = false

    @Option(help: "A name for the trusted device, e.g. \"work laptop\".")
    var deviceLabel: String = ""

    func run() async throws {
        let request = VerifyMfaRequest(challengeID: challengeID, code: code, trustDevice: trustDevice, deviceLabel: deviceLabel)
        output.emit(try await connection.withClient { try await $0.verifyMfa(request) })
    }
}
