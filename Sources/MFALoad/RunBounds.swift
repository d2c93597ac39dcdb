/// Why a run's limits are not acceptable.
public struct RunBoundsError: Error, Equatable, CustomStringConvertible {
    public let description: String
}

/// How long a run lasts: a duration, a number of operations, or both (whichever comes first).
/// A run without either is refused: a load generator that never stops is a hazard on a shared
/// machine.
public struct RunBounds: Sendable, Equatable {
    /// The longest a run may last, in seconds.
    public static let maximumDurationSeconds = 3_600.0

    /// The measured phase's duration in seconds, if bounded by time.
    public let durationSeconds: Double?
    /// The number of operations, if bounded by count.
    public let operations: Int?

    /// - Throws: `RunBoundsError` when neither bound is given, or a bound is not positive, or
    ///   the duration is over an hour.
    public init(durationSeconds: Double?, operations: Int?) throws(RunBoundsError) {
        guard durationSeconds != nil || operations != nil else {
            throw RunBoundsError(description: "a run must be bounded: give --duration SECONDS or --requests N (or both)")
        }
        if let durationSeconds {
            guard durationSeconds > 0, durationSeconds <= Self.maximumDurationSeconds else {
                throw RunBoundsError(description: "--duration must be more than 0 and at most \(Int(Self.maximumDurationSeconds)) seconds, got \(durationSeconds)")
            }
        }
        if let operations {
            guard operations > 0 else { throw RunBoundsError(description: "--requests must be positive, got \(operations)") }
        }
        self.durationSeconds = durationSeconds
        self.operations = operations
    }

    /// Whether the run is over after `elapsedSeconds` and `started` operations.
    public func isOver(elapsedSeconds: Double, started: Int) -> Bool {
        if let durationSeconds, elapsedSeconds >= durationSeconds { return true }
        if let operations, started >= operations { return true }
        return false
    }
}
