/// How the stores keep values that have no column of their own. Every engine uses these, so the
/// same state reads the same on SQLite and PostgreSQL, and `mfad migrate` copies text as it is.
public enum StoredEncoding {
    /// Times as comma-separated Unix seconds (`""` for none).
    public static func text(of times: [Timestamp]) -> String {
        times.map { "\($0.unixSeconds)" }.joined(separator: ",")
    }

    /// The times of ``text(of:)``; nil when `text` is not such a list.
    public static func times(from text: String) -> [Timestamp]? {
        var times: [Timestamp] = []
        for part in text.split(separator: ",") {
            guard let seconds = Int64(part) else { return nil }
            times.append(Timestamp(unixSeconds: seconds))
        }
        return times
    }
}

extension EnforcementPolicy {
    /// The enforcement dates as the stores keep them, one row each: scope `""` for the global
    /// date, else the workspace.
    public var storedDates: [(scope: String, date: Timestamp)] {
        workspaceEnforceFrom.map { ($0.key, $0.value) } + (globalEnforceFrom.map { [("", $0)] } ?? [])
    }

    /// Takes one row of ``storedDates`` back.
    public mutating func readStoredDate(scope: String, date: Timestamp) {
        if scope.isEmpty {
            globalEnforceFrom = date
        } else {
            workspaceEnforceFrom[scope] = date
        }
    }

    /// The keys of ``storedSettings``, for reading them back.
    public static let storedSettingKeys = ["exempt_plans", "grace_logins", "grace_days"]

    /// The settings that hold the policy besides its dates: exempt plans, grace logins, grace days.
    public var storedSettings: [(key: String, value: String)] {
        [("exempt_plans", exemptPlans.sorted().joined(separator: ",")),
         ("grace_logins", "\(graceLogins)"),
         ("grace_days", "\(graceDays)")]
    }

    /// Reads what ``storedSettings`` wrote (a missing or unreadable number counts as 0).
    /// - Parameter setting: the store's settings lookup.
    public mutating func readStoredSettings(_ setting: (String) throws -> String?) rethrows {
        exemptPlans = Set((try setting("exempt_plans") ?? "").split(separator: ",").map(String.init))
        graceLogins = Int(try setting("grace_logins") ?? "0") ?? 0
        graceDays = Int(try setting("grace_days") ?? "0") ?? 0
    }
}
