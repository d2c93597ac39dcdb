import Testing
@testable import MFALoad

@Suite struct ArrivalScheduleTests {
    @Test func releasesAtTheConstantRate() {
        var schedule = ArrivalSchedule(rate: 1_000)  // one per millisecond
        #expect(schedule.release(dueBy: 0) == [0])
        #expect(schedule.release(dueBy: 999_999).isEmpty)
        #expect(schedule.release(dueBy: 3_000_000) == [1_000_000, 2_000_000, 3_000_000])
        #expect(schedule.nextDue == 4_000_000)
    }

    @Test func lateReleaseKeepsIntendedTimes() {
        // A stalled sender still gets the times the operations should have gone out at, so
        // their latency counts the stall (no coordinated omission).
        var schedule = ArrivalSchedule(rate: 100)
        let times = schedule.release(dueBy: 50_000_000)
        #expect(times == [0, 10_000_000, 20_000_000, 30_000_000, 40_000_000, 50_000_000])
    }

    @Test func limitLeavesTheRestDue() {
        var schedule = ArrivalSchedule(rate: 1_000)
        #expect(schedule.release(dueBy: 10_000_000, limit: 2).count == 2)
        #expect(schedule.released == 2)
        #expect(schedule.release(dueBy: 10_000_000).count == 9)
    }

    @Test func splitSpreadsOffsetsAndKeepsTheTotal() {
        let parts = ArrivalSchedule.split(rate: 4_000, into: 4)
        #expect(parts.map(\.rate) == [1_000, 1_000, 1_000, 1_000])
        #expect(parts.map(\.offsetNanoseconds) == [0, 250_000, 500_000, 750_000])
        var total = 0
        for var part in parts { total += part.release(dueBy: 999_999_999).count }
        #expect(total == 4_000)
    }
}
