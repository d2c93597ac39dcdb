/// Which store engine `--db` selects, and where it is.
///
/// - A path (`./mfa.sqlite`, `/var/lib/mfad/mfa.sqlite`) or `sqlite:PATH`: the embedded SQLite
///   engine, one file on this machine (the default).
/// - `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`): a shared PostgreSQL
///   database, for several mfad nodes. The password comes from the URL or from
///   `MFAD_DB_PASSWORD`; prefer the environment, since a URL may end up in a process list.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// Reads a `--db` value.
    /// - Throws: `ConfigurationError` for an empty value or a scheme mfad has no engine for
    ///   (`mysql://...`); the message never repeats the value (it may hold a password).
    public init(parsing value: String, origin: String = "--db") throws(ConfigurationError) {
        let lowered = value.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else if lowered.hasPrefix("sqlite:") {
            var path = value.dropFirst("sqlite:".count)
            // sqlite:///abs/path and sqlite://./relative read as the path after the slashes.
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard !path.isEmpty else { throw ConfigurationError("sqlite: needs a file path, e.g. sqlite:/var/lib/mfad/mfa.sqlite", key: "db", origin: origin) }
            self = .sqlite(path: String(path))
        } else if let scheme = Self.scheme(of: value) {
            throw ConfigurationError("no store engine for '\(scheme)://'; use a file path, sqlite:PATH or postgres://USER@HOST:PORT/DATABASE",
                                     key: "db", origin: origin)
        } else {
            guard !value.isEmpty else { throw ConfigurationError("the database path is empty", key: "db", origin: origin) }
            self = .sqlite(path: value)
        }
    }

    /// For logs and messages: the path, or the URL with any password replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return "sqlite:\(path)"
        case .postgres(let url):
            return SettingSources.maskingURLPassword(url)
        }
    }

    /// `scheme` when `value` starts with `scheme://` (letters, digits, `+.-`), else nil.
    private static func scheme(of value: String) -> String? {
        guard let range = value.firstRange(of: "://") else { return nil }
        let scheme = value[..<range.lowerBound]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) }) else { return nil }
        return String(scheme)
    }
}
