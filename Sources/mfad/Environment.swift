import MFAOperations
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a setting from its flag, then its `MFAD_*` environment variable, then the config
/// file (`--config`), then a default.
enum Setting {
    /// The flag's value if given, else the environment variable's (or the config file's) parsed
    /// value, else `fallback`.
    /// - Throws: `SettingError` when the environment holds an invalid value.
    static func resolve<T: LosslessStringConvertible>(_ flag: T?, env name: String, default fallback: T) throws -> T {
        if let flag { return flag }
        guard let raw = environment(name) else { return fallback }
        guard let value = T(raw) else { throw SettingError(name: name, value: raw) }
        return value
    }

    /// True when the flag is set, or else when the environment variable (or the config file's
    /// key) says `1`, `true` or `yes`.
    static func resolve(_ flag: Bool, env name: String) -> Bool {
        if flag { return true }
        guard let raw = environment(name) else { return false }
        return SettingSources.isTrue(raw)
    }

    /// A setting from outside the command line: the environment variable `name` (nil when unset
    /// or empty), else the config file's key for it (`MFAD_MAX_CONNECTIONS` → `max-connections`).
    static func environment(_ name: String) -> String? {
        if let value = processEnvironment(name) { return value }
        return sources.withLockedValue { $0 }?.fileValue(forEnvironmentName: name)
    }

    /// The process environment's variable, or nil when unset or empty.
    @Sendable static func processEnvironment(_ name: String) -> String? {
        guard let pointer = getenv(name) else { return nil }
        let value = String(cString: pointer)
        return value.isEmpty ? nil : value
    }

    /// The checked sources (config file included) once `OperationsOptions.prepare` has run; set
    /// once at start, before any setting is resolved, and read from any thread.
    static let sources = NIOLockedValueBox<SettingSources?>(nil)
}

/// An environment variable whose value cannot be used.
struct SettingError: Error, CustomStringConvertible {
    let name: String
    let value: String
    var description: String { "environment variable \(name) has an invalid value '\(value)'" }
}
