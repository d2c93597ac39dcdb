/// One setting of a command: its name (the flag `--name`, the config-file key `name`, the
/// environment variable `MFAD_NAME`), what values it takes, and whether it is a secret.
public struct SettingKey: Sendable {
    /// What values a setting takes.
    public enum Kind: Sendable {
        /// Any text (a path, a URL, a name).
        case string
        /// A decimal integer within the range.
        case integer(ClosedRange<Int64>)
        /// A flag: `true`/`false` in the file, `1`/`true`/`yes` (else off) in the environment.
        case boolean
        /// One of these words.
        case choice([String])
    }

    /// Where a setting may come from.
    public enum Sources: Sendable {
        /// Flag, environment variable and config file.
        case all
        /// The environment only: secrets (a key, a password), which must not sit in a file or
        /// on a command line that `ps` shows. Never printed.
        case environmentOnly
    }

    /// The flag and config-file key, e.g. `max-connections`.
    public let name: String
    /// The values it takes.
    public let kind: Kind
    /// Where it may come from.
    public let sources: Sources
    /// The default as printed by `--print-config`; nil when unset by default.
    public let defaultValue: String?
    /// One line for the documentation and `--print-config`.
    public let summary: String

    /// - Parameters:
    ///   - name: the flag and file key.
    ///   - kind: its values.
    ///   - sources: where it may come from (default: flag, environment and file).
    ///   - defaultValue: the default, as text.
    ///   - summary: one line saying what it does.
    public init(_ name: String, _ kind: Kind, sources: Sources = .all, default defaultValue: String? = nil, _ summary: String) {
        self.name = name
        self.kind = kind
        self.sources = sources
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// The environment variable: `MFAD_` and the name in capitals with `_` for `-`.
    public var environmentName: String { Self.environmentName(for: name) }

    /// Whether the value must never be printed or logged.
    public var isSecret: Bool {
        if case .environmentOnly = sources { return true }
        return false
    }

    /// `MFAD_` and `name` in capitals with `_` for `-`.
    public static func environmentName(for name: String) -> String {
        "MFAD_" + name.uppercased().map { $0 == "-" ? "_" : $0 }
    }

    /// The key of an environment variable name (`MFAD_MAX_CONNECTIONS` → `max-connections`),
    /// nil for a name without the prefix.
    public static func key(forEnvironmentName name: String) -> String? {
        guard name.hasPrefix("MFAD_") else { return nil }
        return String(name.dropFirst(5).lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// Checks `text` against the kind.
    /// - Returns: nil when valid, else what is wrong (without the value's origin).
    public func problem(with text: String) -> String? {
        switch kind {
        case .string:
            return nil
        case .integer(let range):
            guard let value = Int64(text) else { return "must be an integer, not '\(text)'" }
            guard range.contains(value) else {
                return "\(value) is out of range: use \(range.lowerBound) to \(range.upperBound)"
            }
            return nil
        case .boolean:
            return ["1", "0", "true", "false", "yes", "no"].contains(text.lowercased())
                ? nil : "must be 1, true or yes (on), or 0, false or no (off), not '\(text)'"
        case .choice(let words):
            return words.contains(text) ? nil : "must be one of \(words.joined(separator: ", ")), not '\(text)'"
        }
    }

    /// Checks a config-file value: its TOML type, then its text.
    /// - Returns: nil when valid, else what is wrong.
    public func problem(with value: ConfigFile.Value) -> String? {
        switch (kind, value) {
        case (.string, .string), (.choice, .string), (.integer, .integer), (.boolean, .boolean):
            return problem(with: value.text)
        case (.string, _), (.choice, _):
            return "must be a string in double quotes, not \(value.typeName)"
        case (.integer, _):
            return "must be an integer (without quotes), not \(value.typeName)"
        case (.boolean, _):
            return "must be true or false (without quotes), not \(value.typeName)"
        }
    }
}
