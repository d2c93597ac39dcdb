import Foundation
import MFAClient
import MFAWire
import Testing

/// An external command-line tool (Debian package) the TOTP tests use as an independent check.
struct ExternalTool {
    let name: String
    /// The Debian package that provides it, for the install hint.
    let package: String

    /// `oathtool` (RFC 6238 codes from a base32 secret).
    static let oathtool = ExternalTool(name: "oathtool", package: "oathtool")
    /// `zbarimg` (decodes the QR code of a PNG).
    static let zbarimg = ExternalTool(name: "zbarimg", package: "zbar-tools")

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The executable on `PATH` (or in the usual system folders).
    /// - Throws: ``Failure`` with an install hint when it is not installed.
    func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw Failure(description: "\(name) is not installed; these tests need it: sudo apt-get install \(package)")
    }

    /// Runs the tool with `arguments`.
    /// - Returns: its standard output.
    /// - Throws: ``Failure`` when it is missing or exits with a non-zero status.
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Small outputs: reading to the end before waiting cannot deadlock on a full pipe here,
        // and stderr is read after stdout closed (the tools write at most a line to it).
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(name) \(arguments.joined(separator: " ")) exited with status "
                + "\(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// TOTP codes computed by Debian's `oathtool`, an implementation independent of `mfad`'s.
enum OathTool {
    /// The code of `secret` (base32) at `unix` seconds: 6-digit SHA-1 unless `parameters` say otherwise.
    static func code(secret: String, at unix: Int64, _ parameters: Parameters = .standard) throws -> String {
        let output = try ExternalTool.oathtool.run(["--totp=\(parameters.algorithm)", "--digits=\(parameters.digits)", "-b", secret,
                                                    "--now", "@\(unix)"])
        let code = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard code.count == parameters.digits, code.allSatisfy(\.isASCIIDigit) else {
            throw ExternalTool.Failure(description: "oathtool printed \(output.debugDescription), not a \(parameters.digits)-digit code")
        }
        return code
    }

    /// The TOTP parameters oathtool is asked for (30 s steps always).
    struct Parameters: Sendable {
        /// `sha1`, `sha256` or `sha512`.
        var algorithm = "sha1"
        var digits = 6
        static let standard = Parameters()
    }

    /// A 6-digit code that is none of the codes accepted at `unix` (±`steps` of skew, and a margin).
    static func wrongCode(secret: String, at unix: Int64, steps: Int64 = 2) throws -> String {
        var taken = Set<String>()
        for step in -steps...steps {
            taken.insert(try code(secret: secret, at: unix + step * 30))
        }
        var candidate = 0
        while taken.contains(String(format: "%06d", candidate)) { candidate += 111_111 }
        return String(format: "%06d", candidate)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// Decodes a QR code image with `zbarimg`.
enum ZBar {
    /// The text of the one QR code in `png`.
    static func decode(png: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-qr-\(UUID()).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var text = try ExternalTool.zbarimg.run(["--raw", "-q", file.path])
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

/// RFC 4648 base32 (upper case, padding optional), written here so the tests do not trust `mfad`'s.
enum TestBase32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    /// The bytes of `text`, or nil when it is not base32.
    static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.uppercased() where character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return bytes
    }
}

/// An account with TOTP enabled by ``TestMfad/enrollTOTP(_:session:)``.
struct TOTPAccount: Sendable {
    let account: Account
    /// The session the enrolment was made with (still valid: 12 hours).
    let session: String
    /// The base32 secret `BeginTotpEnrollment` returned.
    let secret: String
    /// The recovery codes `ConfirmTotpEnrollment` returned.
    let recoveryCodes: [String]
    /// The time of the confirmation; its time step is used up.
    let confirmedAt: Int64
    /// The parameters the server enrolled it with (those of `--totp-algorithm`, `--totp-digits`).
    var parameters = OathTool.Parameters.standard
}

extension TestMfad {
    /// The manual clock's current time (`AdvanceClock(0)`).
    func now() async throws -> Int64 {
        try await advanceClock(0)
    }

    /// Logs in and requires a session at once (no code asked).
    func sessionWithoutCode(_ account: Account, deviceToken: String = "",
                            sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await login(account, deviceToken: deviceToken)
        try #require(!response.sessionToken.isEmpty, "Login asked for a code (\(response.reason))", sourceLocation: sourceLocation)
        #expect(response.challengeID.isEmpty, sourceLocation: sourceLocation)
        return response.sessionToken
    }

    /// `Login` with the account's password (or `password`) and a device token.
    func login(_ account: Account, password: String? = nil, deviceToken: String) async throws -> LoginResponse {
        try await client.login(LoginRequest(email: account.email, password: password ?? account.password,
                                            deviceToken: deviceToken, clientInfo: "e2e-tests"))
    }

    /// `BeginTotpEnrollment` with the account's password.
    func beginTOTP(_ account: Account, session: String) async throws -> BeginTotpEnrollmentResponse {
        try await client.beginTotpEnrollment(BeginTotpEnrollmentRequest(sessionToken: session, password: account.password))
    }

    /// `ConfirmTotpEnrollment` with `code`.
    func confirmTOTP(_ enrollment: BeginTotpEnrollmentResponse, session: String, code: String) async throws -> [String] {
        try await client.confirmTotpEnrollment(ConfirmTotpEnrollmentRequest(
            sessionToken: session, enrollmentID: enrollment.enrollmentID, code: code)).recoveryCodes
    }

    /// Enables TOTP for `account`: a session (a login without code unless `session` is given),
    /// `BeginTotpEnrollment`, then `ConfirmTotpEnrollment` with oathtool's code for the current time.
    func enrollTOTP(_ account: Account, session: String? = nil, parameters: OathTool.Parameters = .standard,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> TOTPAccount {
        var session = session ?? ""
        if session.isEmpty {
            session = try await sessionWithoutCode(account, sourceLocation: sourceLocation)
        }
        let enrollment = try await beginTOTP(account, session: session)
        let now = try await now()
        let codes = try await confirmTOTP(enrollment, session: session,
                                          code: try OathTool.code(secret: enrollment.secret, at: now, parameters))
        #expect(codes.count == 10, sourceLocation: sourceLocation)
        return TOTPAccount(account: account, session: session, secret: enrollment.secret, recoveryCodes: codes, confirmedAt: now,
                           parameters: parameters)
    }

    /// Logs in and requires a TOTP challenge (methods totp and recovery_code, no email sent).
    /// - Returns: the login answer (its `challengeID` and `reason`).
    func totpChallenge(_ account: Account, password: String? = nil, deviceToken: String = "",
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> LoginResponse {
        let emailsBefore = try await emails(to: account.email).count
        let response = try await login(account, password: password, deviceToken: deviceToken)
        try #require(!response.challengeID.isEmpty, "Login asked no code", sourceLocation: sourceLocation)
        #expect(response.sessionToken.isEmpty, sourceLocation: sourceLocation)
        #expect(response.methods == ["totp", "recovery_code"], sourceLocation: sourceLocation)
        #expect(try await emails(to: account.email).count == emailsBefore, "an email was sent for a TOTP login",
                sourceLocation: sourceLocation)
        return response
    }

    /// `VerifyMfa` of `challengeID` with `code`, optionally trusting the device.
    func verify(_ challengeID: String, code: String, trustDevice: Bool = false, label: String = "") async throws -> VerifyMfaResponse {
        try await client.verifyMfa(VerifyMfaRequest(challengeID: challengeID, code: code, trustDevice: trustDevice,
                                                    deviceLabel: label))
    }

    /// Moves the clock to the next time step and returns oathtool's code for the new time, so
    /// that every TOTP login uses a step no earlier login used.
    func nextTOTPCode(_ totp: TOTPAccount) async throws -> String {
        try OathTool.code(secret: totp.secret, at: try await advanceClock(30), totp.parameters)
    }

    /// A complete TOTP login: a challenge, then a fresh code (next time step).
    func totpLogin(_ totp: TOTPAccount, trustDevice: Bool = false, label: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> VerifyMfaResponse {
        let challenge = try await totpChallenge(totp.account, sourceLocation: sourceLocation)
        let verified = try await verify(challenge.challengeID, code: try await nextTOTPCode(totp),
                                        trustDevice: trustDevice, label: label)
        #expect(!verified.sessionToken.isEmpty, sourceLocation: sourceLocation)
        #expect(verified.deviceToken.isEmpty != trustDevice, sourceLocation: sourceLocation)
        return verified
    }

    /// `ListTrustedDevices` of the session's account.
    func trustedDevices(_ session: String) async throws -> [TrustedDevice] {
        try await client.listTrustedDevices(ListTrustedDevicesRequest(sessionToken: session)).devices
    }

    /// `GetMfaStatus` of the session's account.
    func mfaStatus(_ session: String) async throws -> GetMfaStatusResponse {
        try await client.getMfaStatus(GetMfaStatusRequest(sessionToken: session))
    }
}
