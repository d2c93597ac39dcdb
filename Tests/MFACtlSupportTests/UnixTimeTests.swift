import MFACtlSupport
import Testing

@Suite("Unix time")
struct UnixTimeTests {
    static let formatted: [(Int64, String)] = [
        (0, "1970-01-01T00:00:00Z"),
        (1_767_225_600, "2026-01-01T00:00:00Z"),
        (1_772_323_200, "2026-03-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_709_251_199, "2024-02-29T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (-86_400, "1969-12-31T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ]

    @Test("formats ISO-8601 UTC", arguments: formatted)
    func format(seconds: Int64, expected: String) {
        #expect(UnixTime.iso8601(seconds) == expected)
    }

    static let parsed: [(String, Int64)] = [
        ("0", 0),
        ("1772323200", 1_772_323_200),
        ("2026-03-01", 1_772_323_200),
        ("2026-03-01T00:00:00Z", 1_772_323_200),
        ("2026-03-01T00:00Z", 1_772_323_200),
        ("2026-03-01t00:00:00z", 1_772_323_200),
        ("2026-03-01 00:00:00Z", 1_772_323_200),
        ("2026-03-01T01:00:00+01:00", 1_772_323_200),
        ("2026-02-28T19:30:00-04:30", 1_772_323_200),
        ("2026-03-01T00:00:00.999Z", 1_772_323_200),
        ("2024-02-29", 1_709_164_800),
        ("2026-01-01T12:34:56Z", 1_767_270_896),
    ]

    @Test("reads unix seconds, dates and times", arguments: parsed)
    func parse(text: String, expected: Int64) throws {
        #expect(try UnixTime.parse(text) == expected)
    }

    @Test("round trips through the formatter")
    func roundTrip() throws {
        for seconds: Int64 in [0, 1, 59, 86_399, 1_767_225_600, 4_102_444_799, 951_868_799] {
            #expect(try UnixTime.parse(UnixTime.iso8601(seconds)) == seconds)
        }
    }

    static let refused: [(String, String)] = [
        ("", "empty"),
        ("abc", "year"),
        ("-5", "year"),
        ("99999999999999999999", "too large"),
        ("2026-3-01", "month"),
        ("2026-13-01", "month 13"),
        ("2026-00-10", "month 0"),
        ("2026-02-29", "day 29"),
        ("2026-04-31", "day 31"),
        ("2026-03-01T", "hour"),
        ("2026-03-01T24:00:00Z", "hour 24"),
        ("2026-03-01T10:60Z", "minute 60"),
        ("2026-03-01T10:00:60Z", "second 60"),
        ("2026-03-01T10:00:00", "no zone"),
        ("2026-03-01T10:00:00.Z", "decimal point"),
        ("2026-03-01T10:00:00+0100", "offset"),
        ("2026-03-01T10:00:00Zjunk", "unexpected text"),
        ("2026-03-01x", "'T'"),
        ("１２３", "year"),
    ]

    @Test("refuses what is not a time, saying why", arguments: refused)
    func invalid(text: String, problem: String) {
        #expect {
            _ = try UnixTime.parse(text)
        } throws: { error in
            guard let error = error as? UnixTimeParseError else { return false }
            return error.input == text && error.problem.contains(problem)
                && error.description.contains("2026-03-01T00:00:00Z")
        }
    }
}
