import MFACore

/// The embedded engine as `mfad` runs it (readiness and counts are in `+Operations`).
extension SQLiteMFAStorage: ServiceStorage {
    public var displayName: String { "sqlite:\(database.path)" }

    public var statistics: StorageStatistics {
        let sqlite = database.statistics
        var statistics = StorageStatistics()
        statistics.pendingWrites = sqlite.pendingWrites
        statistics.pendingReads = sqlite.pendingReads
        statistics.committedBatches = sqlite.committedBatches
        statistics.committedWrites = sqlite.committedJobs
        statistics.failedBatches = sqlite.failedBatches
        return statistics
    }
}
