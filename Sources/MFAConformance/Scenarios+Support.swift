import MFACore
import MFAWire

extension Scenario {
    static let supportScenarios: [Scenario] = [
        Scenario("wrong-master-key", [
            "Restarted with another master key (test mode derives it from the seed), a decision that needs",
            "the sealed TOTP secret fails closed: UNAVAILABLE. (The API key's keyed hash no longer matches",
            "either, so the restart also turns caller authentication off with --dev.)",
        ]) { s in
            try s.createVerifiedAccount("ada@example.com")
            let session = try s.session("ada@example.com")
            let enrollment = try s.expect(s.call(.beginTotpEnrollment(BeginTotpEnrollmentRequest(
                sessionToken: session, password: ScenarioSession.password))), "an enrolment") {
                if case .beginTotpEnrollment(let r) = $0 { r } else { nil }
            }
            guard let secret = Base32.decode(enrollment.secret) else { throw ScenarioSession.Unexpected(description: "bad secret") }
            try s.call(.confirmTotpEnrollment(ConfirmTotpEnrollmentRequest(
                sessionToken: session, enrollmentID: enrollment.enrollmentID, code: TOTP().code(secret: secret, at: .testModeStart))))
            try await s.restartServer(["--seed", "2", "--dev"])
            let challenge = try s.challenge("ada@example.com")
            try s.verify(challenge, "123456")
        },
    ]
}
