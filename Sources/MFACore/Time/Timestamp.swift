/// A point in time, in whole seconds since 1970-01-01T00:00:00Z (Unix time, UTC).
///
/// Whole seconds are the resolution of every rule in `MFACore` (and of the wire protocol), so
/// durations derived from two timestamps are exact integers and need no rounding.
/// Arithmetic saturates at the ends of `Int64` instead of trapping.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since the Unix epoch.
    public var unixSeconds: Int64

    /// Creates a timestamp.
    /// - Parameter unixSeconds: Seconds since 1970-01-01T00:00:00Z.
    public init(unixSeconds: Int64) {
        self.unixSeconds = unixSeconds
    }

    /// 2026-01-01T00:00:00Z, where the test-mode clock starts (SPEC 4.3).
    public static let testModeStart = Timestamp(unixSeconds: 1_767_225_600)

    /// The timestamp `seconds` later (earlier when negative), saturating at the ends of `Int64`.
    /// - Parameter seconds: The offset in seconds.
    /// - Returns: The shifted timestamp.
    public func adding(seconds: Int64) -> Timestamp {
        let (sum, overflow) = unixSeconds.addingReportingOverflow(seconds)
        if overflow { return Timestamp(unixSeconds: seconds > 0 ? .max : .min) }
        return Timestamp(unixSeconds: sum)
    }

    /// Seconds from `earlier` to `self` (negative when `earlier` is later), saturating.
    /// - Parameter earlier: The other timestamp.
    /// - Returns: `self - earlier` in seconds.
    public func seconds(since earlier: Timestamp) -> Int64 {
        let (difference, overflow) = unixSeconds.subtractingReportingOverflow(earlier.unixSeconds)
        if overflow { return earlier.unixSeconds < 0 ? .max : .min }
        return difference
    }

    /// `lhs.adding(seconds: rhs)`.
    public static func + (lhs: Timestamp, rhs: Int64) -> Timestamp {
        lhs.adding(seconds: rhs)
    }

    /// `lhs.adding(seconds: -rhs)`.
    public static func - (lhs: Timestamp, rhs: Int64) -> Timestamp {
        rhs == .min ? lhs.adding(seconds: .max) : lhs.adding(seconds: -rhs)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.unixSeconds < rhs.unixSeconds
    }

    /// Encoded as a bare integer of Unix seconds.
    public init(from decoder: any Decoder) throws {
        unixSeconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(unixSeconds)
    }

    /// ISO 8601 in UTC, e.g. `2026-01-01T00:00:00Z` (for logs and test output).
    public var description: String {
        // Days-to-civil conversion (Howard Hinnant's algorithm), valid over the whole Int64 range
        // of days that a year fits in Int64.
        let (days, secondsOfDay) = Self.floorDivide(unixSeconds, 86_400)
        let z = days + 719_468
        let (era, _) = Self.floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2))Z"
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let quotient = a / b
        let remainder = a % b
        return remainder < 0 ? (quotient - 1, remainder + b) : (quotient, remainder)
    }
}
