import Testing
@testable import MFACore

@Suite("Enforcement")
struct EnforcementTests {
    let date = t0 + 10 * 86_400

    @Test func noDateNoEnforcement() {
        #expect(EnforcementPolicy().enforcement(forWorkspace: "acme", plan: "pro", now: t0) == .notEnforced)
    }

    @Test func globalDateBoundary() {
        let policy = EnforcementPolicy(globalEnforceFrom: date)
        #expect(policy.enforcement(forWorkspace: "acme", plan: "pro", now: date - 1) == .notEnforced)
        #expect(policy.enforcement(forWorkspace: "acme", plan: "pro", now: date) == .enforced)
        #expect(policy.enforcement(forWorkspace: "acme", plan: "pro", now: date + 1) == .enforced)
    }

    @Test func workspaceLaterThanGlobalDelaysIt() {
        let policy = EnforcementPolicy(globalEnforceFrom: date, workspaceEnforceFrom: ["late": date + 86_400])
        #expect(policy.enforcement(forWorkspace: "late", plan: "pro", now: date) == .notEnforced)
        #expect(policy.enforcement(forWorkspace: "other", plan: "pro", now: date) == .enforced)
        #expect(policy.enforcement(forWorkspace: "late", plan: "pro", now: date + 86_400) == .enforced)
    }

    @Test func workspaceEarlierThanGlobalAdvancesIt() {
        let policy = EnforcementPolicy(globalEnforceFrom: date, workspaceEnforceFrom: ["early": t0])
        #expect(policy.enforcement(forWorkspace: "early", plan: "pro", now: t0) == .enforced)
        #expect(policy.enforcement(forWorkspace: "other", plan: "pro", now: t0) == .notEnforced)
    }

    @Test func workspaceDateWithoutGlobal() {
        let policy = EnforcementPolicy(workspaceEnforceFrom: ["acme": t0])
        #expect(policy.enforcement(forWorkspace: "acme", plan: "pro", now: t0) == .enforced)
        #expect(policy.enforcement(forWorkspace: "other", plan: "pro", now: t0 + 1_000_000) == .notEnforced)
    }

    @Test func trialIsExemptByDefault() {
        let policy = EnforcementPolicy(globalEnforceFrom: t0)
        #expect(policy.exemptPlans == ["trial"])
        #expect(policy.enforcement(forWorkspace: "acme", plan: "trial", now: date) == .notEnforced)
        let custom = EnforcementPolicy(globalEnforceFrom: t0, exemptPlans: ["free"])
        #expect(custom.enforcement(forWorkspace: "acme", plan: "trial", now: date) == .enforced)
        #expect(custom.enforcement(forWorkspace: "acme", plan: "free", now: date) == .notEnforced)
    }

    @Test func graceByDays() {
        let policy = EnforcementPolicy(globalEnforceFrom: date, graceDays: 7)
        let end = date + 7 * 86_400
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: date - 1) == .notEnforced)
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: date) == .grace(remindersLeft: nil, until: end))
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: end - 1) == .grace(remindersLeft: nil, until: end))
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: end) == .enforced)
    }

    @Test func graceByLogins() {
        let policy = EnforcementPolicy(globalEnforceFrom: date, graceLogins: 3)
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: date, graceLoginsUsed: 0) == .grace(remindersLeft: 3, until: nil))
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: date, graceLoginsUsed: 2) == .grace(remindersLeft: 1, until: nil))
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: date, graceLoginsUsed: 3) == .enforced)
        #expect(policy.enforcement(forWorkspace: "w", plan: "trial", now: date, graceLoginsUsed: 0) == .notEnforced)
    }

    @Test func graceEndsAtWhicheverRunsOutFirst() {
        let policy = EnforcementPolicy(globalEnforceFrom: date, graceLogins: 2, graceDays: 1)
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: date, graceLoginsUsed: 1) == .grace(remindersLeft: 1, until: date + 86_400))
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: date, graceLoginsUsed: 2) == .enforced)
        #expect(policy.enforcement(forWorkspace: "w", plan: "pro", now: date + 86_400, graceLoginsUsed: 0) == .enforced)
    }
}

@Suite("MFA requirement")
struct MFARequirementTests {
    typealias Row = (totp: Bool, enforcement: Enforcement, device: PresentedDevice, hasDevices: Bool, fallback: Bool, expected: MFARequirement)

    static let rows: [Row] = [
        // Nothing enabled, nothing enforced: never a code, whatever the device.
        (false, .notEnforced, .none, false, false, .notRequired(reminder: false)),
        (false, .notEnforced, .expired, true, true, .notRequired(reminder: false)),
        // Enforced, no TOTP: email.
        (false, .enforced, .none, false, false, .required(reason: .mfaEnforced, methods: [.email])),
        (false, .enforced, .none, true, false, .required(reason: .newDevice, methods: [.email])),
        (false, .enforced, .unrecognized, true, false, .required(reason: .newDevice, methods: [.email])),
        (false, .enforced, .unrecognized, false, false, .required(reason: .mfaEnforced, methods: [.email])),
        (false, .enforced, .expired, false, false, .required(reason: .deviceExpired, methods: [.email])),
        (false, .enforced, .revokedByPasswordChange, false, false, .required(reason: .passwordChanged, methods: [.email])),
        (false, .enforced, .valid, true, false, .notRequired(reminder: false)),
        (false, .enforced, .none, false, true, .required(reason: .mfaEnforced, methods: [.email])),
        // TOTP enabled (also on exempt/trial plans, where enforcement is .notEnforced).
        (true, .notEnforced, .none, false, false, .required(reason: .mfaEnabled, methods: [.totp, .recoveryCode])),
        (true, .notEnforced, .none, false, true, .required(reason: .mfaEnabled, methods: [.totp, .recoveryCode, .email])),
        (true, .enforced, .none, true, false, .required(reason: .newDevice, methods: [.totp, .recoveryCode])),
        (true, .enforced, .expired, true, false, .required(reason: .deviceExpired, methods: [.totp, .recoveryCode])),
        (true, .notEnforced, .revokedByPasswordChange, false, true, .required(reason: .passwordChanged, methods: [.totp, .recoveryCode, .email])),
        (true, .notEnforced, .valid, true, false, .notRequired(reminder: false)),
        // Grace: reminder instead of a code, unless TOTP applies.
        (false, .grace(remindersLeft: 2, until: nil), .none, false, false, .notRequired(reminder: true)),
        (false, .grace(remindersLeft: nil, until: t0), .valid, true, false, .notRequired(reminder: true)),
        (true, .grace(remindersLeft: 2, until: nil), .none, false, false, .required(reason: .mfaEnabled, methods: [.totp, .recoveryCode])),
        (true, .grace(remindersLeft: 2, until: nil), .valid, true, false, .notRequired(reminder: false)),
    ]

    @Test(arguments: rows.indices)
    func decisionTable(index: Int) {
        let row = Self.rows[index]
        let decision = MFARequirement.decide(
            totpEnabled: row.totp,
            enforcement: row.enforcement,
            presentedDevice: row.device,
            accountHasTrustedDevices: row.hasDevices,
            emailFallbackAllowed: row.fallback
        )
        #expect(decision == row.expected, "row \(index)")
    }

    @Test func trialAccountEndToEnd() {
        let policy = EnforcementPolicy(globalEnforceFrom: t0)
        let trial = policy.enforcement(forWorkspace: "w", plan: "trial", now: t0 + 1)
        #expect(MFARequirement.decide(totpEnabled: false, enforcement: trial, presentedDevice: .none, accountHasTrustedDevices: false, emailFallbackAllowed: false)
            == .notRequired(reminder: false))
        #expect(MFARequirement.decide(totpEnabled: true, enforcement: trial, presentedDevice: .none, accountHasTrustedDevices: false, emailFallbackAllowed: false)
            == .required(reason: .mfaEnabled, methods: [.totp, .recoveryCode]))
    }

    @Test func wireStrings() {
        #expect(MFAReason.allCases.map(\.rawValue) == ["NEW_DEVICE", "DEVICE_EXPIRED", "PASSWORD_CHANGED", "MFA_ENFORCED", "MFA_ENABLED"])
        #expect(MFAMethod.allCases.map(\.rawValue) == ["email", "totp", "recovery_code"])
    }
}
