/// Named durations in seconds, for readable configuration.
public enum Durations {
    /// 60 seconds.
    public static let minute: Int64 = 60
    /// 3 600 seconds.
    public static let hour: Int64 = 3_600
    /// 86 400 seconds.
    public static let day: Int64 = 86_400

    /// Whole minutes for a message, rounded up (`300` -> 5, `301` -> 6, `1` -> 1, `0` -> 0).
    /// - Parameter seconds: A duration in seconds.
    /// - Returns: The number of minutes, rounded up; 0 for zero or negative durations.
    public static func minutesRoundedUp(_ seconds: Int64) -> Int64 {
        seconds <= 0 ? 0 : (seconds - 1) / minute + 1
    }
}
