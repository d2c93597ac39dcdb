/// Where a command's settings come from, in order of precedence: the command line (flag), the
/// environment (`MFAD_*`), the config file, the default.
///
/// The command itself still parses its flags (swift-argument-parser) and resolves each setting;
/// this type checks the environment and the file against the known keys before anything starts
/// (an unknown or mistyped key is a startup error naming it), answers the file's value of a key,
/// and prints the effective configuration with secrets masked.
public struct SettingSources: Sendable {
    /// Every setting of the command, in the order `--print-config` lists them.
    public let keys: [SettingKey]
    /// The config file, if one was given.
    public let file: ConfigFile?
    /// The command line, without the executable (flags are read from it for `--print-config`).
    public let arguments: [String]
    /// Reads an environment variable (nil when unset or empty).
    public let environment: @Sendable (String) -> String?

    /// - Parameters:
    ///   - keys: every setting of the command.
    ///   - file: the config file, if any.
    ///   - arguments: the command line without the executable.
    ///   - environment: reads an environment variable; nil when unset or empty.
    public init(keys: [SettingKey], file: ConfigFile?, arguments: [String], environment: @escaping @Sendable (String) -> String?) {
        self.keys = keys
        self.file = file
        self.arguments = arguments
        self.environment = environment
    }

    /// The key named `name`.
    public func key(_ name: String) -> SettingKey? {
        keys.first { $0.name == name }
    }

    /// Checks the config file and the environment against the keys.
    /// - Throws: ``ConfigurationError`` for the first problem: an unknown key in the file, a
    ///   secret in the file, a value of the wrong type or out of range (in the file or in an
    ///   `MFAD_*` variable).
    public func validate() throws(ConfigurationError) {
        if let file {
            for entry in file.entries {
                let origin = "config file \(file.path), line \(entry.line)"
                guard let key = key(entry.key) else {
                    let near = keys.filter { $0.sources == .all && Self.isNear($0.name, entry.key) }.map(\.name)
                    let hint = near.isEmpty ? "see docs/operations.md for the keys" : "did you mean \(near.joined(separator: " or "))?"
                    throw ConfigurationError("unknown key; \(hint)", key: entry.key, origin: origin)
                }
                guard !key.isSecret else {
                    throw ConfigurationError("is a secret and is read from the environment only: set \(key.environmentName)",
                                             key: entry.key, origin: origin)
                }
                if let problem = key.problem(with: entry.value) {
                    throw ConfigurationError(problem, key: entry.key, origin: origin)
                }
            }
        }
        for key in keys where !key.isSecret {
            if let raw = environment(key.environmentName), let problem = key.problem(with: raw) {
                throw ConfigurationError(problem, key: key.name, origin: "environment variable \(key.environmentName)")
            }
        }
    }

    /// The config file's value for the setting read from environment variable `name`
    /// (`MFAD_PORT` → key `port`), as text; nil when the file does not set it.
    public func fileValue(forEnvironmentName name: String) -> String? {
        guard let file, let key = SettingKey.key(forEnvironmentName: name) else { return nil }
        return file.entry(key)?.value.text
    }

    // MARK: - The effective configuration

    /// Where an effective value came from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case flag
        case environment(String)
        case file(path: String, line: Int)
        case defaultValue
        case unset

        public var description: String {
            switch self {
            case .flag: "flag"
            case .environment(let name): "environment \(name)"
            case .file(let path, let line): "config file \(path):\(line)"
            case .defaultValue: "default"
            case .unset: "not set"
            }
        }
    }

    /// A setting's value in force and its source.
    public struct Effective: Sendable {
        public let key: SettingKey
        /// The value as text; nil when unset.
        public let value: String?
        public let source: Source
    }

    /// Every setting's value in force: flag, else environment, else file, else default.
    public func effective() -> [Effective] {
        keys.map { key in
            if key.isSecret {
                if let value = environment(key.environmentName) {
                    return Effective(key: key, value: value, source: .environment(key.environmentName))
                }
                return Effective(key: key, value: nil, source: .unset)
            }
            if let value = flagValue(key) {
                return Effective(key: key, value: value, source: .flag)
            }
            if let value = environment(key.environmentName) {
                if case .boolean = key.kind {
                    return Effective(key: key, value: Self.isTrue(value) ? "true" : "false", source: .environment(key.environmentName))
                }
                return Effective(key: key, value: value, source: .environment(key.environmentName))
            }
            if let file, let entry = file.entry(key.name) {
                return Effective(key: key, value: entry.value.text, source: .file(path: file.path, line: entry.line))
            }
            if let value = key.defaultValue {
                return Effective(key: key, value: value, source: .defaultValue)
            }
            return Effective(key: key, value: nil, source: .unset)
        }
    }

    /// The effective configuration as a config file (TOML): one `key = value` line per setting
    /// with its source as a comment; unset settings and secrets as comments. A secret's value is
    /// never printed, and a password inside a URL (`scheme://user:password@host`) is masked.
    /// - Parameter header: comment lines to print first.
    public func render(header: [String] = []) -> String {
        var lines = header.map { "# \($0)" }
        let entries = effective()
        let width = entries.map { entry -> Int in
            guard let value = entry.value, !entry.key.isSecret else { return 0 }
            return entry.key.name.count + 3 + Self.literal(value, kind: entry.key.kind).count
        }.max() ?? 0
        for entry in entries {
            if entry.key.isSecret {
                let state = entry.value == nil ? "not set" : "set (hidden)"
                lines.append("# \(entry.key.name): \(state); read from \(entry.key.environmentName) only")
                continue
            }
            guard let value = entry.value else {
                lines.append("# \(entry.key.name) is not set")
                continue
            }
            let line = "\(entry.key.name) = \(Self.literal(value, kind: entry.key.kind))"
            lines.append(line + String(repeating: " ", count: max(1, width - line.count + 2)) + "# \(entry.source)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value as a TOML literal: integers and booleans bare, text quoted (URL passwords masked).
    private static func literal(_ value: String, kind: SettingKey.Kind) -> String {
        switch kind {
        case .integer, .boolean: value
        case .string, .choice: ConfigFile.quote(maskingURLPassword(value))
        }
    }

    /// `scheme://user:password@host...` with the password replaced by `***`; other text unchanged.
    public static func maskingURLPassword(_ text: String) -> String {
        let characters = Array(text)
        guard let schemeEnd = (0..<max(0, characters.count - 2)).first(where: { characters[$0..<($0 + 3)] == [":", "/", "/"] })
        else { return text }
        let authorityStart = text.index(text.startIndex, offsetBy: schemeEnd + 3)
        let authorityEnd = text[authorityStart...].firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? text.endIndex
        let authority = text[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }

    /// The flag's value on the command line: `--name value`, `--name=value`, or `true` for a
    /// boolean flag that is present. The last occurrence wins, as in swift-argument-parser.
    func flagValue(_ key: SettingKey) -> String? {
        let flag = "--\(key.name)"
        var found: String?
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == flag {
                if case .boolean = key.kind {
                    found = "true"
                } else if arguments.index(after: index) < arguments.endIndex {
                    index = arguments.index(after: index)
                    found = arguments[index]
                }
            } else if argument.hasPrefix(flag + "=") {
                found = String(argument.dropFirst(flag.count + 1))
            }
            index = arguments.index(after: index)
        }
        return found
    }

    /// How the environment spells on: `1`, `true` or `yes` (any case).
    public static func isTrue(_ text: String) -> Bool {
        ["1", "true", "yes"].contains(text.lowercased())
    }

    /// Whether two keys differ by at most two edits (a typo).
    private static func isNear(_ a: String, _ b: String) -> Bool {
        let a = Array(a), b = Array(b)
        guard abs(a.count - b.count) <= 2 else { return false }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count] <= 2
    }
}

extension SettingKey.Sources: Equatable {}
