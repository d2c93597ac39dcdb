extension MFAService {
    /// The settings key under which test mode keeps its clock across restarts.
    public static let testClockSetting = "test_clock_unix"
    /// Largest single `AdvanceClock` step: ten years.
    static let maximumClockStep: UInt64 = 10 * 366 * 86_400

    /// The answer to a test-mode call on a server outside test mode (SPEC 4.3).
    public static let testModeOnly = MFAError(.unimplemented, "This call exists only in test mode (mfad --test-mode).")

    /// `AdvanceClock` (test mode only): moves the manual clock and persists it.
    ///
    /// The new time (this node's clock plus `seconds`) is decided inside the transaction without
    /// touching the clock, which moves only after the commit: a body run again after a
    /// serialization failure (PostgreSQL) or rolled back never moves it twice or ahead of what
    /// was saved. Calls on one node run one at a time, so overlapping calls add up. (On several
    /// nodes each keeps its own clock; the database keeps the latest.)
    /// - Returns: the new time.
    public func advanceClock(seconds: UInt64) async throws(MFAError) -> Timestamp {
        guard let testClock else { throw Self.testModeOnly }
        guard seconds <= Self.maximumClockStep else {
            throw .invalidArgument("seconds: at most \(Self.maximumClockStep)")
        }
        return try await clockGate.run { () async throws(MFAError) -> Timestamp in
            try await transact { tx in
                let now = testClock.now().adding(seconds: Int64(seconds))
                let saved = try await tx.setting(Self.testClockSetting).flatMap(Int64.init) ?? Int64.min
                try await tx.setSetting(Self.testClockSetting, "\(max(saved, now.unixSeconds))")
                tx.afterCommit.append { testClock.advance(to: now) }
                return .success(now)
            }
        }
    }

    /// `ReadOutbox` (test mode only): every message, oldest first, opened: codes included
    /// while held or queued, nothing once sent or dead (scrubbed).
    public func readOutbox() async throws(MFAError) -> [OpenedOutboxMessage] {
        guard isTestMode else { throw Self.testModeOnly }
        let sealer = outboxSealer
        return try await snapshot { tx in try await tx.outboxMessages().map(sealer.open) }
    }
}
