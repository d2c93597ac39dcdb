#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a setting from its flag, then its `MFAD_*` environment variable, then a default.
enum Setting {
    /// The flag's value if given, else the environment variable's parsed value, else `fallback`.
    /// - Throws: `ValidationError`-style `SettingError` when the environment holds an invalid value.
    static func resolve<T: LosslessStringConvertible>(_ flag: T?, env name: String, default fallback: T) throws -> T {
        if let flag { return flag }
        guard let raw = environment(name) else { return fallback }
        guard let value = T(raw) else { throw SettingError(name: name, value: raw) }
        return value
    }

    /// True when the flag is set or the environment variable is `1`, `true` or `yes`.
    static func resolve(_ flag: Bool, env name: String) -> Bool {
        if flag { return true }
        guard let raw = environment(name)?.lowercased() else { return false }
        return ["1", "true", "yes"].contains(raw)
    }

    /// The value of an environment variable, or nil when unset or empty.
    static func environment(_ name: String) -> String? {
        guard let pointer = getenv(name) else { return nil }
        let value = String(cString: pointer)
        return value.isEmpty ? nil : value
    }
}

/// An environment variable whose value cannot be used.
struct SettingError: Error, CustomStringConvertible {
    let name: String
    let value: String
    var description: String { "environment variable \(name) has an invalid value '\(value)'" }
}
