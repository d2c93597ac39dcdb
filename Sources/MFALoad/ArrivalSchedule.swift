/// The intended send times of an open-loop run: operations arrive at a constant rate whether or
/// not earlier ones have been answered, and each operation's latency is measured from its
/// intended time, not from when it could actually be sent. A server that stalls for 100 ms
/// therefore shows 100 ms of latency for every operation that should have gone out during the
/// stall (no coordinated omission).
///
/// Times are nanoseconds from the start of the run.
public struct ArrivalSchedule: Sendable, Equatable {
    /// Operations per second for this schedule.
    public let rate: Double
    /// The time of the first operation, in nanoseconds after the start.
    public let offsetNanoseconds: Int64
    /// How many operations have been released so far.
    public private(set) var released: Int64 = 0

    /// - Parameters:
    ///   - rate: operations per second (must be positive).
    ///   - offsetNanoseconds: when the first operation is due; spreading the offsets of several
    ///     schedules over one interval keeps their arrivals from coinciding.
    public init(rate: Double, offsetNanoseconds: Int64 = 0) {
        precondition(rate > 0, "rate must be positive")
        self.rate = rate
        self.offsetNanoseconds = offsetNanoseconds
    }

    /// The gap between two arrivals, in nanoseconds.
    public var intervalNanoseconds: Double { 1e9 / rate }

    /// The intended time of operation `index` (0-based).
    public func intendedTime(of index: Int64) -> Int64 {
        offsetNanoseconds + Int64((Double(index) * intervalNanoseconds).rounded(.down))
    }

    /// Releases the operations due by `now` (at most `limit` of them) and returns their intended
    /// times, oldest first.
    /// - Parameters:
    ///   - now: nanoseconds since the start.
    ///   - limit: the most operations to release (those not released stay due).
    public mutating func release(dueBy now: Int64, limit: Int = .max) -> [Int64] {
        var times: [Int64] = []
        while times.count < limit {
            let t = intendedTime(of: released)
            guard t <= now else { break }
            times.append(t)
            released += 1
        }
        return times
    }

    /// When the next operation is due.
    public var nextDue: Int64 { intendedTime(of: released) }

    /// `count` schedules that together make `rate`, with offsets spread over one interval of the
    /// combined rate (one per connection).
    public static func split(rate: Double, into count: Int) -> [ArrivalSchedule] {
        precondition(count > 0)
        let each = rate / Double(count)
        let combinedInterval = 1e9 / rate
        return (0..<count).map { ArrivalSchedule(rate: each, offsetNanoseconds: Int64(Double($0) * combinedInterval)) }
    }
}
