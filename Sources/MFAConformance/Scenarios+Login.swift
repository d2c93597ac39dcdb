import MFAWire

extension Scenario {
    static let loginScenarios: [Scenario] = [
        Scenario("login-email-code", [
            "After the enforcement date a login asks for an email code; the code gives a session,",
            "which validates until Logout, then answers INVALID_SESSION.",
        ]) { s in
            try s.createVerifiedAccount("ada@example.com")
            try s.call(.getEnforcementPolicy(GetEnforcementPolicyRequest()))
            try s.enforceFromStart()
            let challenge = try s.challenge("ada@example.com")
            let code = try s.latestMessage(to: "ada@example.com").code
            let session = try s.expect(s.verify(challenge, code.lowercased()), "a session") {
                if case .verifyMfa(let r) = $0 { r.sessionToken } else { nil }
            }
            try s.call(.validateSession(ValidateSessionRequest(sessionToken: session)))
            try s.call(.getMfaStatus(GetMfaStatusRequest(sessionToken: session)))
            try s.call(.logout(LogoutRequest(sessionToken: session)))
            try s.call(.validateSession(ValidateSessionRequest(sessionToken: session)))
            try s.verify(challenge, code)
        },
        Scenario("resend-and-link", [
            "ResendCode is throttled (RATE_LIMITED with retry_after_seconds) and replaces the code and link:",
            "the old ones answer CODE_EXPIRED; the new link completes the challenge; an unknown link is INVALID_CODE.",
        ]) { s in
            try s.createVerifiedAccount("ada@example.com")
            try s.enforceFromStart()
            let challenge = try s.challenge("ada@example.com")
            let old = try s.latestMessage(to: "ada@example.com")
            try s.call(.resendCode(ResendCodeRequest(challengeID: challenge)))
            try s.advance(60)
            try s.call(.resendCode(ResendCodeRequest(challengeID: challenge)))
            let new = try s.latestMessage(to: "ada@example.com")
            try s.verify(challenge, old.code)
            try s.call(.verifyLink(VerifyLinkRequest(linkToken: old.linkToken)))
            try s.call(.verifyLink(VerifyLinkRequest(linkToken: String(repeating: "B", count: 43))))
            try s.call(.verifyLink(VerifyLinkRequest(linkToken: new.linkToken)))
        },
        Scenario("code-expiry", ["An email code works for 20 minutes; at 20 minutes it answers CODE_EXPIRED."]) { s in
            try s.createVerifiedAccount("ada@example.com")
            try s.enforceFromStart()
            let challenge = try s.challenge("ada@example.com")
            let code = try s.latestMessage(to: "ada@example.com").code
            try s.advance(1200)
            try s.verify(challenge, code)
        },
        Scenario("enforcement", [
            "No code before the enforcement date; a workspace date overrides the global one; trial accounts are exempt.",
        ]) { s in
            try s.createVerifiedAccount("ada@example.com")
            try s.createVerifiedAccount("tia@example.com", plan: "trial")
            try s.call(.setEnforcementPolicy(SetEnforcementPolicyRequest(enforceFromUnix: 1_767_225_600 + 86_400)))
            try s.login("ada@example.com")
            try s.enforceFromStart(workspace: "acme")
            try s.login("ada@example.com")
            try s.login("tia@example.com")
            try s.call(.getEnforcementPolicy(GetEnforcementPolicyRequest()))
        },
        Scenario("password-throttle", [
            "A wrong password and an unknown email answer alike (INVALID_CREDENTIALS);",
            "10 failures within 15 minutes answer RATE_LIMITED for 15 minutes.",
        ]) { s in
            try s.createVerifiedAccount("ada@example.com")
            try s.login("nobody@example.com")
            for _ in 1...10 {
                try s.login("ada@example.com", password: "wrong password")
            }
            try s.login("ada@example.com")
        },
    ]
}
