import ArgumentParser
import Foundation
import MFACtlSupport
import MFAQRCode
import MFAWire

/// `mfactl totp`: TOTP enrolment (BeginTotpEnrollment, ConfirmTotpEnrollment).
struct TotpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "totp",
        abstract: "Enrol an authenticator app.",
        subcommands: [Enroll.self, Confirm.self]
    )

    /// `mfactl totp enroll`: BeginTotpEnrollment, with the QR code drawn in the terminal.
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enroll",
            abstract: "Start TOTP enrolment and show the QR code to scan (BeginTotpEnrollment).",
            discussion: """
                Needs the session of a login and the account's password. Prints the QR code of the \
                otpauth URI in the terminal (scan it with an authenticator app), the secret to type \
                in by hand, the enrollment_id and when the enrolment expires. Then run \
                'mfactl totp confirm' with a code from the app. With --json the QR code is not drawn \
                and the PNG appears as its size (use --png to save it) and the SVG in full.
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var password: PasswordOption

        @Option(help: "The session token of a login of the account.")
        var sessionToken: String

        @Option(help: "Also write the QR code as a PNG file here.")
        var png: String?

        func run() async throws {
            let request = BeginTotpEnrollmentRequest(sessionToken: sessionToken, password: password.value)
            let response = try await connection.withClient { try await $0.beginTotpEnrollment(request) }
            if let png {
                try Data(response.qrPng).write(to: URL(fileURLWithPath: png))
            }
            if output.json {
                output.emit(response)
                return
            }
            print(try QRCode(text: response.otpauthURI).terminalText())
            var record = response.outputRecord
            record.fields.removeAll { $0.key == "qr_png" || $0.key == "qr_svg" }
            output.emit(record)
        }
    }

    /// `mfactl totp confirm`: ConfirmTotpEnrollment.
    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm",
            abstract: "Enable TOTP with a code from the app (ConfirmTotpEnrollment).",
            discussion: "Prints the 10 recovery codes: they are shown this once, so store them safely.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The session token used for 'mfactl totp enroll'.")
        var sessionToken: String

        @Option(help: "The enrollment_id printed by 'mfactl totp enroll'.")
        var enrollmentID: String

        @Option(help: "The current code shown by the authenticator app.")
        var code: String

        func run() async throws {
            let request = ConfirmTotpEnrollmentRequest(sessionToken: sessionToken, enrollmentID: enrollmentID, code: code)
            output.emit(try await connection.withClient { try await $0.confirmTotpEnrollment(request) })
        }
    }
}
