import MFACore
import MFAWire

extension Scenario {
    static let supportScenarios: [Scenario] = [
        Scenario("wrong-master-key", [
            "Restarted with another master key (test mode derives it from the seed), mfad refuses to start:",
            "the database's data keys are sealed under another master key (SPEC 8.1). Restarted with its own",
            "key, everything made before still works: the API key authenticates and the TOTP secret opens.",
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
            let log = try await s.expectRefusedStart(["--seed", "2"])
            guard log.contains("is not this database's") else {
                throw ScenarioSession.Unexpected(description: "the refusal does not say why: \(log)")
            }
            try await s.restartServer(["--seed", "1"])
            let now = try s.advance(30)
            let challenge = try s.challenge("ada@example.com")
            try s.verify(challenge, TOTP().code(secret: secret, at: now))
        },
    ]
}
