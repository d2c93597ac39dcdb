import Testing
@testable import MFACore

@Suite("Time")
struct TimeTests {
    @Test func testModeStartIs2026() {
        #expect(Timestamp.testModeStart.unixSeconds == 1_767_225_600)
        #expect(Timestamp.testModeStart.description == "2026-01-01T00:00:00Z")
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_767_225_600 + 86_400 + 3_723, "2026-01-02T01:02:03Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
    ] as [(Int64, String)])
    func description(seconds: Int64, expected: String) {
        #expect(Timestamp(unixSeconds: seconds).description == expected)
    }

    @Test func arithmetic() {
        let t = Timestamp(unixSeconds: 100)
        #expect((t + 5).unixSeconds == 105)
        #expect((t - 5).unixSeconds == 95)
        #expect((t + 5).seconds(since: t) == 5)
        #expect(t.seconds(since: t + 5) == -5)
        #expect(t < t + 1)
        #expect(!(t < t))
    }

    @Test func arithmeticSaturates() {
        #expect((Timestamp(unixSeconds: .max - 1) + 10).unixSeconds == .max)
        #expect((Timestamp(unixSeconds: .min + 1) - 10).unixSeconds == .min)
        #expect(Timestamp(unixSeconds: .max).seconds(since: Timestamp(unixSeconds: -1)) == .max)
        #expect(Timestamp(unixSeconds: .min).seconds(since: Timestamp(unixSeconds: 1)) == .min)
    }

    @Test func manualClockStartsAt2026AndAdvances() throws {
        let clock = ManualClock()
        #expect(clock.now() == Timestamp(unixSeconds: 1_767_225_600))
        try clock.advance(bySeconds: 0)
        #expect(clock.now().unixSeconds == 1_767_225_600)
        let after = try clock.advance(bySeconds: 90)
        #expect(after.unixSeconds == 1_767_225_690)
        #expect(clock.now().unixSeconds == 1_767_225_690)
    }

    @Test func manualClockRefusesNegativeAdvance() throws {
        let clock = ManualClock(start: Timestamp(unixSeconds: 1_000))
        #expect(throws: ManualClockError.negativeAdvance(seconds: -1)) {
            try clock.advance(bySeconds: -1)
        }
        #expect(clock.now().unixSeconds == 1_000)
    }

    @Test func clockIsUsableAsExistential() throws {
        // `Clock` here is MFACore's, not Swift.Clock.
        let clocks: [any Clock] = [SystemClock(), ManualClock()]
        #expect(clocks[1].now() == .testModeStart)
        // The system clock is after 2025-01-01 and before 2100.
        #expect(clocks[0].now().unixSeconds > 1_735_689_600)
        #expect(clocks[0].now().unixSeconds < 4_102_444_800)
    }

    @Test func manualClockIsThreadSafe() async throws {
        let clock = ManualClock(start: Timestamp(unixSeconds: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { _ = try? clock.advance(bySeconds: 1) }
            }
        }
        #expect(clock.now().unixSeconds == 100)
    }

    @Test(arguments: [(0, 0), (1, 1), (59, 1), (60, 1), (61, 2), (300, 5), (301, 6), (900, 15), (-5, 0)] as [(Int64, Int64)])
    func minutesRoundedUp(seconds: Int64, minutes: Int64) {
        #expect(Durations.minutesRoundedUp(seconds) == minutes)
    }
}
