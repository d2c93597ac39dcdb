import MFAClient
import MFAWire
import Testing

/// SPEC 2.5: from the enforcement date on, accounts without TOTP get email MFA at every login.
@Suite(.serialized) struct EnforcementTests {
    @Test func noCodeBeforeTheDateAndACodeFromTheDateOn() async throws {
        try await withMfad { mfad in
            try await mfad.enforce(from: testClockStart + 3600)
            let account = try await mfad.createAccount("alice@example.com")

            try await expectSessionWithoutCode(mfad, account)
            try await mfad.advanceClock(3599)
            try await expectSessionWithoutCode(mfad, account)

            try await mfad.advanceClock(1)  // exactly the date
            let challenge = try await mfad.loginForCode(account)  // challenge id, methods ["email"], the email sent
            #expect(challenge.reason == "MFA_ENFORCED")
        }
    }

    @Test func noDateMeansNoCode() async throws {
        try await withMfad { mfad in
            let account = try await mfad.createAccount("alice@example.com")
            try await expectSessionWithoutCode(mfad, account)
        }
    }

    @Test func trialAccountIsNeverAskedForACode() async throws {
        try await withMfad { mfad in
            try await mfad.enforceMfaFromStart()
            let trial = try await mfad.createAccount("trial@example.com", plan: "trial")
            try await expectSessionWithoutCode(mfad, trial)
            try await mfad.advanceClock(400 * 24 * 3600)
            try await expectSessionWithoutCode(mfad, trial)
        }
    }

    @Test func laterWorkspaceDateOverridesTheGlobalOne() async throws {
        try await withMfad { mfad in
            try await mfad.enforceMfaFromStart()
            try await mfad.enforce(from: testClockStart + 3600, workspace: "late")
            let inLate = try await mfad.createAccount("late@example.com", workspace: "late")
            let elsewhere = try await mfad.createAccount("acme@example.com", workspace: "acme")

            try await expectSessionWithoutCode(mfad, inLate)
            _ = try await mfad.loginForCode(elsewhere)
            try await mfad.advanceClock(3600)
            _ = try await mfad.loginForCode(inLate)
        }
    }

    @Test func earlierWorkspaceDateOverridesTheGlobalOne() async throws {
        try await withMfad { mfad in
            try await mfad.enforce(from: testClockStart + 7200)
            try await mfad.enforce(from: testClockStart, workspace: "early")
            let inEarly = try await mfad.createAccount("early@example.com", workspace: "early")
            let elsewhere = try await mfad.createAccount("acme@example.com", workspace: "acme")

            let challenge = try await mfad.loginForCode(inEarly)
            #expect(challenge.reason == "MFA_ENFORCED")
            try await expectSessionWithoutCode(mfad, elsewhere)
        }
    }

    @Test func getEnforcementPolicyReflectsWhatWasSet() async throws {
        try await withMfad { mfad in
            let initial = try await mfad.client.getEnforcementPolicy().policy
            #expect(initial?.globalEnforceFromUnix == 0)
            #expect(initial?.exemptPlans == ["trial"])

            try await mfad.enforce(from: testClockStart + 100)
            try await mfad.enforce(from: testClockStart + 200, workspace: "late")
            let returned = try await mfad.enforce(from: testClockStart + 50, workspace: "early")
            let policy = try #require(try await mfad.client.getEnforcementPolicy().policy)
            #expect(returned == policy)
            #expect(policy.globalEnforceFromUnix == testClockStart + 100)
            #expect(policy.exemptPlans == ["trial"])
            #expect(policy.workspaces.sorted { $0.workspace < $1.workspace } == [
                WorkspaceEnforcement(workspace: "early", enforceFromUnix: testClockStart + 50),
                WorkspaceEnforcement(workspace: "late", enforceFromUnix: testClockStart + 200),
            ])

            // Removing a date is explicit.
            _ = try await mfad.client.setEnforcementPolicy(SetEnforcementPolicyRequest(workspace: "late", clearEnforceFrom: true))
            let removed = try #require(try await mfad.client.getEnforcementPolicy().policy)
            #expect(removed.workspaces == [WorkspaceEnforcement(workspace: "early", enforceFromUnix: testClockStart + 50)])
            #expect(removed.globalEnforceFromUnix == testClockStart + 100)
        }
    }

    /// Issue 14.7: a request that sets nothing never switches enforcement off; each part changes
    /// only when asked, and a value with its own clear flag is refused.
    @Test func anEmptyRequestChangesNothingAndIsRefused() async throws {
        try await withMfad { mfad in
            try await mfad.enforce(from: testClockStart)
            _ = try await mfad.client.setEnforcementPolicy(SetEnforcementPolicyRequest(graceLogins: 3, graceDays: 2))
            let before = try #require(try await mfad.client.getEnforcementPolicy().policy)
            #expect(before.globalEnforceFromUnix == testClockStart && before.graceLogins == 3 && before.graceDays == 2)

            for (request, field) in [
                (SetEnforcementPolicyRequest(), "nothing to change"),
                (SetEnforcementPolicyRequest(workspace: "acme"), "nothing to change"),
                (SetEnforcementPolicyRequest(enforceFromUnix: testClockStart, clearEnforceFrom: true), "enforce_from_unix"),
                (SetEnforcementPolicyRequest(graceLogins: 1, clearGrace: true), "grace_logins"),
                (SetEnforcementPolicyRequest(exemptPlans: ["trial"], clearExemptPlans: true), "exempt_plans"),
            ] {
                let error = await expectError(.invalidArgument) { try await mfad.client.setEnforcementPolicy(request) }
                #expect(error?.message.contains(field) == true, "\(error?.message ?? "no error")")
            }
            #expect(try await mfad.client.getEnforcementPolicy().policy == before)

            // Only the exempt plans change: the date and the grace stay.
            let plans = try #require(try await mfad.client.setEnforcementPolicy(SetEnforcementPolicyRequest(exemptPlans: ["edu"])).policy)
            #expect(plans.exemptPlans == ["edu"] && plans.globalEnforceFromUnix == testClockStart && plans.graceLogins == 3)
            // Removing the grace leaves the date.
            let noGrace = try #require(try await mfad.client.setEnforcementPolicy(SetEnforcementPolicyRequest(clearGrace: true)).policy)
            #expect(noGrace.graceLogins == 0 && noGrace.graceDays == 0 && noGrace.globalEnforceFromUnix == testClockStart)
            // And enforcement is still on for a new login.
            let account = try await mfad.createAccount("bob@example.com")
            #expect(try await mfad.loginForCode(account).reason == "MFA_ENFORCED")
        }
    }

    /// Login answers a session at once: no challenge, no email.
    private func expectSessionWithoutCode(_ mfad: TestMfad, _ account: Account,
                                          sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let emailsBefore = try await mfad.emails(to: account.email).count
        let login = try await mfad.login(account)
        #expect(!login.sessionToken.isEmpty, sourceLocation: sourceLocation)
        #expect(login.challengeID.isEmpty, sourceLocation: sourceLocation)
        #expect(try await mfad.emails(to: account.email).count == emailsBefore, sourceLocation: sourceLocation)
        #expect(try await mfad.validate(login.sessionToken).accountID == account.id, sourceLocation: sourceLocation)
    }
}
