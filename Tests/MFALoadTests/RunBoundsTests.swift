import Testing
@testable import MFALoad

@Suite struct RunBoundsTests {
    @Test func refusesAnUnboundedRun() {
        #expect(throws: RunBoundsError.self) { try RunBounds(durationSeconds: nil, operations: nil) }
    }

    static let badBounds: [(Double?, Int?)] = [(0, nil), (-1, nil), (3_601, nil), (nil, 0), (nil, -5)]

    @Test(arguments: badBounds)
    func refusesBadBounds(_ duration: Double?, _ operations: Int?) {
        #expect(throws: RunBoundsError.self) { try RunBounds(durationSeconds: duration, operations: operations) }
    }

    @Test func endsAtWhicheverComesFirst() throws {
        let bounds = try RunBounds(durationSeconds: 10, operations: 100)
        #expect(!bounds.isOver(elapsedSeconds: 5, started: 50))
        #expect(bounds.isOver(elapsedSeconds: 10, started: 50))
        #expect(bounds.isOver(elapsedSeconds: 5, started: 100))
    }

    @Test func parsesDurations() {
        #expect(parseSeconds("10") == 10)
        #expect(parseSeconds("1.5s") == 1.5)
        #expect(parseSeconds("500ms") == 0.5)
        #expect(parseSeconds("2m") == 120)
        #expect(parseSeconds("ten") == nil)
    }
}
