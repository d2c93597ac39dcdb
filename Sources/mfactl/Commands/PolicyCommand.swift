import ArgumentParser
import MFACtlSupport
import MFAWire

/// `mfactl policy`: the enforcement policy, SetEnforcementPolicy and GetEnforcementPolicy.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Show or change when MFA becomes compulsory.",
        subcommands: [Set.self, Get.self]
    )

    /// `mfactl policy set`: SetEnforcementPolicy.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the date from which logins need a code (SetEnforcementPolicy).",
            discussion: """
                Without --workspace this sets the global date; with it, that workspace's date, which \
                overrides the global one; --clear-enforce-from removes the date of that scope. Exempt \
                plans and grace are global. Only what is given changes; at least one change is needed. \
                Prints the whole policy as it is afterwards.
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "The workspace whose date to set; omitted: the global date.")
        var workspace: String = ""

        @Option(
            help: ArgumentHelp(
                "From when logins need a code: unix seconds, a date (2026-03-01, midnight UTC) or a time "
                    + "with a zone (2026-03-01T00:00:00Z). Omitted: the date is unchanged.",
                valueName: "time"),
            transform: { text in try UnixTime.parse(text) })
        var enforceFrom: Int64?

        @Flag(help: "Remove the date of this scope (not with --enforce-from).")
        var clearEnforceFrom = false

        @Option(name: .customLong("exempt-plan"), help: ArgumentHelp(
            "A plan exempt from enforcement; repeat for several. Replaces the list; omitted: the list is unchanged.",
            valueName: "plan"))
        var exemptPlans: [String] = []

        @Flag(help: "Empty the list of exempt plans (not with --exempt-plan).")
        var clearExemptPlans = false

        @Option(help: "Logins let through with a reminder after the date, per account; sets the grace with --grace-days (omitted: 0).")
        var graceLogins: UInt32 = 0

        @Option(help: "Days after the date during which logins are let through with a reminder; sets the grace with --grace-logins (omitted: 0).")
        var graceDays: UInt32 = 0

        @Flag(help: "Remove the grace period (not with --grace-logins or --grace-days).")
        var clearGrace = false

        func validate() throws {
            if clearEnforceFrom && enforceFrom != nil {
                throw ValidationError("--clear-enforce-from removes the date; it cannot be given with --enforce-from.")
            }
            if clearGrace && (graceLogins != 0 || graceDays != 0) {
                throw ValidationError("--clear-grace removes the grace period; it cannot be given with --grace-logins or --grace-days.")
            }
            if clearExemptPlans && !exemptPlans.isEmpty {
                throw ValidationError("--clear-exempt-plans empties the list; it cannot be given with --exempt-plan.")
            }
        }

        func run() async throws {
            let request = SetEnforcementPolicyRequest(
                workspace: workspace, enforceFromUnix: enforceFrom ?? 0, exemptPlans: exemptPlans,
                clearExemptPlans: clearExemptPlans, graceLogins: graceLogins, graceDays: graceDays,
                clearEnforceFrom: clearEnforceFrom, clearGrace: clearGrace)
            output.emit(try await connection.withClient { try await $0.setEnforcementPolicy(request) })
        }
    }

    /// `mfactl policy get`: GetEnforcementPolicy.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Show the enforcement policy (GetEnforcementPolicy).",
            discussion: """
                Prints the global enforce_from date, each workspace's date, the exempt plans, \
                grace_logins and grace_days.
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            output.emit(try await connection.withClient { try await $0.getEnforcementPolicy() })
        }
    }
}
