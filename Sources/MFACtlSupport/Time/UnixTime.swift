/// Unix seconds as people read them, and back: ISO-8601 in UTC.
public enum UnixTime {
    /// Formats unix seconds as ISO-8601 UTC, e.g. `2026-01-01T00:00:00Z`.
    /// - Parameter seconds: seconds since 1970-01-01T00:00:00Z (negative: before).
    /// - Returns: `YYYY-MM-DDTHH:MM:SSZ`; years outside 0...9999 are written with as many digits
    ///   as they need (and a `-` before year 0).
    public static func iso8601(_ seconds: Int64) -> String {
        // Floor division, so that times before 1970 land on the right day.
        let days = seconds >= 0 ? seconds / 86_400 : -((-(seconds + 1)) / 86_400) - 1
        let secondOfDay = seconds - days * 86_400
        let date = CivilDate(daysSinceEpoch: days)
        let year = date.year >= 0 ? pad(date.year, 4) : "-" + pad(-date.year, 4)
        return "\(year)-\(pad(date.month, 2))-\(pad(date.day, 2))T"
            + "\(pad(secondOfDay / 3_600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    /// Reads a time given on the command line.
    ///
    /// Accepted forms:
    /// - unix seconds: `1772323200`;
    /// - a date, meaning its midnight UTC: `2026-03-01`;
    /// - a date and time with a zone (RFC 3339): `2026-03-01T00:00:00Z`, `2026-03-01T01:00+01:00`;
    ///   seconds are optional, a fraction of a second is accepted and dropped, `t`, `z` and a
    ///   space instead of `T` are accepted.
    ///
    /// - Parameter text: what the user typed.
    /// - Returns: unix seconds.
    /// - Throws: ``UnixTimeParseError`` naming what is wrong, e.g. a month of 13 or a missing zone.
    public static func parse(_ text: String) throws(UnixTimeParseError) -> Int64 {
        var scanner = Scanner(text)
        if text.isEmpty { throw UnixTimeParseError(text, "it is empty") }
        if text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int64(text) else { throw UnixTimeParseError(text, "it is too large for unix seconds") }
            return seconds
        }

        let year = try scanner.digits(4, "the year must have 4 digits")
        try scanner.expect("-", "expected '-' after the year")
        let month = try scanner.digits(2, "the month must have 2 digits")
        try scanner.expect("-", "expected '-' after the month")
        let day = try scanner.digits(2, "the day must have 2 digits")
        guard (1...12).contains(month) else { throw UnixTimeParseError(text, "month \(month) does not exist") }
        guard (1...CivilDate.daysIn(month: month, year: year)).contains(day) else {
            throw UnixTimeParseError(text, "day \(day) does not exist in \(pad(year, 4))-\(pad(month, 2))")
        }
        let midnight = CivilDate(year: year, month: month, day: day).daysSinceEpoch * 86_400
        if scanner.atEnd { return midnight }

        guard scanner.take(anyOf: "Tt ") else {
            throw UnixTimeParseError(text, "expected 'T' and a time after the date")
        }
        let hour = try scanner.digits(2, "the hour must have 2 digits")
        try scanner.expect(":", "expected ':' after the hour")
        let minute = try scanner.digits(2, "the minute must have 2 digits")
        var second: Int64 = 0
        if scanner.take(anyOf: ":") {
            second = try scanner.digits(2, "the second must have 2 digits")
            if scanner.take(anyOf: ".,") {
                guard scanner.skipDigits() > 0 else { throw UnixTimeParseError(text, "expected digits after the decimal point") }
            }
        }
        guard hour < 24 else { throw UnixTimeParseError(text, "hour \(hour) does not exist") }
        guard minute < 60 else { throw UnixTimeParseError(text, "minute \(minute) does not exist") }
        guard second < 60 else { throw UnixTimeParseError(text, "second \(second) does not exist") }

        let offset: Int64
        if scanner.take(anyOf: "Zz") {
            offset = 0
        } else if let sign = scanner.takeSign() {
            let offsetHours = try scanner.digits(2, "the zone offset must look like +HH:MM")
            try scanner.expect(":", "the zone offset must look like +HH:MM")
            let offsetMinutes = try scanner.digits(2, "the zone offset must look like +HH:MM")
            guard offsetHours < 24, offsetMinutes < 60 else { throw UnixTimeParseError(text, "the zone offset is out of range") }
            offset = sign * (offsetHours * 3_600 + offsetMinutes * 60)
        } else if scanner.atEnd {
            throw UnixTimeParseError(text, "the time has no zone; add 'Z' for UTC or an offset like +01:00")
        } else {
            throw UnixTimeParseError(text, "expected 'Z' or an offset like +01:00 after the time")
        }
        guard scanner.atEnd else { throw UnixTimeParseError(text, "unexpected text after the time") }
        return midnight + hour * 3_600 + minute * 60 + second - offset
    }

    /// `value` in decimal, zero-padded to `width` digits.
    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Reads ASCII left to right; every failure becomes a ``UnixTimeParseError`` for the whole text.
    private struct Scanner {
        let text: String
        let bytes: [UInt8]
        var index = 0

        init(_ text: String) {
            self.text = text
            self.bytes = Array(text.utf8)
        }

        var atEnd: Bool { index == bytes.count }

        /// Exactly `count` decimal digits.
        mutating func digits(_ count: Int, _ problem: String) throws(UnixTimeParseError) -> Int64 {
            var value: Int64 = 0
            for _ in 0..<count {
                guard index < bytes.count, let digit = Self.digit(bytes[index]) else {
                    throw UnixTimeParseError(text, problem)
                }
                value = value * 10 + digit
                index += 1
            }
            return value
        }

        /// Skips any run of digits; returns how many.
        mutating func skipDigits() -> Int {
            let start = index
            while index < bytes.count, Self.digit(bytes[index]) != nil { index += 1 }
            return index - start
        }

        mutating func expect(_ character: Character, _ problem: String) throws(UnixTimeParseError) {
            guard take(anyOf: String(character)) else { throw UnixTimeParseError(text, problem) }
        }

        /// Consumes one byte if it is one of `characters` (ASCII).
        mutating func take(anyOf characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }

        /// Consumes `+` (1) or `-` (-1).
        mutating func takeSign() -> Int64? {
            if take(anyOf: "+") { return 1 }
            if take(anyOf: "-") { return -1 }
            return nil
        }

        static func digit(_ byte: UInt8) -> Int64? {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int64(byte - UInt8(ascii: "0")) : nil
        }
    }
}

/// A command-line time that could not be read; its description says why and what is accepted.
public struct UnixTimeParseError: Error, Equatable, CustomStringConvertible {
    /// What the user typed.
    public let input: String
    /// What is wrong with it, e.g. "month 13 does not exist".
    public let problem: String

    init(_ input: String, _ problem: String) {
        self.input = input
        self.problem = problem
    }

    public var description: String {
        "\(problem) (give unix seconds, a date like 2026-03-01, or a time like 2026-03-01T00:00:00Z)"
    }
}
