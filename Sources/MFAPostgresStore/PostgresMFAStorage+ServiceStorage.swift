import MFACore

/// The shared engine as `mfad` runs it (readiness and counts are in `+Operations`).
extension PostgresMFAStorage: ServiceStorage {
    public var displayName: String { location.description }

    /// `pendingWrites` / `pendingReads` count transactions waiting for a connection or running;
    /// a write conflicting and re-run counts once.
    public var statistics: StorageStatistics { runner.statistics.withLockedValue { $0 } }
}
