extension SQLiteDatabase {
    /// Counters of the write path (group commit) and queue depths, for metrics.
    public struct Statistics: Sendable, Hashable {
        /// Batches whose `COMMIT` succeeded.
        public internal(set) var committedBatches = 0
        /// Jobs in committed batches (including those whose closure threw and had only their own
        /// savepoint rolled back). Divided by ``committedBatches`` it gives the jobs per commit.
        public internal(set) var committedJobs = 0
        /// Jobs in committed batches whose closure threw (their part was rolled back).
        public internal(set) var rolledBackJobs = 0
        /// Batches that failed as a whole (`BEGIN`, a savepoint or `COMMIT` failed): every job in
        /// them was answered with the error.
        public internal(set) var failedBatches = 0
        /// Jobs answered with an error because their batch failed.
        public internal(set) var failedJobs = 0
        /// The most jobs seen in one batch.
        public internal(set) var largestBatch = 0
        /// Write jobs queued and not yet taken by the writer.
        public internal(set) var pendingWrites = 0
        /// Read jobs queued and not yet taken by a reader.
        public internal(set) var pendingReads = 0

        /// Jobs per committed batch on average (0 before the first commit).
        public var averageJobsPerCommittedBatch: Double {
            committedBatches == 0 ? 0 : Double(committedJobs) / Double(committedBatches)
        }
    }
}
