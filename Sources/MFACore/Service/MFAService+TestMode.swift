extension MFAService {
    /// The settings key under which test mode keeps its clock across restarts.
    public static let testClockSetting = "test_clock_unix"
    /// Largest single `AdvanceClock` step: ten years.
    static let maximumClockStep: UInt64 = 10 * 366 * 86_400

    private static let testModeOnly = MFAError(.unimplemented, "This call exists only in test mode (mfad --test-mode).")

    /// `AdvanceClock` (test mode only): moves the manual clock and persists it.
    /// - Returns: the new time.
    public func advanceClock(seconds: UInt64) async throws(MFAError) -> Timestamp {
        guard let testClock else { throw Self.testModeOnly }
        guard seconds <= Self.maximumClockStep else {
            throw .invalidArgument("seconds: at most \(Self.maximumClockStep)")
        }
        return try await transact { tx in
            let now: Timestamp
            do {
                now = try testClock.advance(bySeconds: Int64(seconds))
            } catch {
                throw MFAError.invalidArgument("seconds: \(error)")
            }
            try tx.setSetting(Self.testClockSetting, "\(now.unixSeconds)")
            return .success(now)
        }
    }

    /// `ReadOutbox` (test mode only): every queued message, oldest first, codes included.
    public func readOutbox() async throws(MFAError) -> [OutboxRecord] {
        guard isTestMode else { throw Self.testModeOnly }
        return try await snapshot { tx in try tx.outboxMessages() }
    }
}
