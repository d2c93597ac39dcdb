extension SQLiteDatabase {
    /// How an ``SQLiteDatabase`` runs: a value, checked when the database opens.
    public struct Configuration: Sendable, Hashable {
        /// How many read-only reader connections (and threads) serve ``SQLiteDatabase/read(_:)``:
        /// 1 to 16, default 2.
        public var readerCount: Int
        /// The most write jobs committed together in one transaction (group commit): 1 to 100,000,
        /// default 256. 1 turns group commit off (one commit per write).
        public var maxBatchSize: Int
        /// How long a connection waits for another's lock before failing with `SQLITE_BUSY`;
        /// default 5 seconds.
        public var busyTimeout: Duration
        /// Prepared statements each connection keeps (default 128).
        public var statementCacheCapacity: Int

        /// Makes a configuration.
        /// - Parameters:
        ///   - readerCount: Reader connections, 1 to 16 (default 2).
        ///   - maxBatchSize: Write jobs per commit at most, 1 to 100,000 (default 256).
        ///   - busyTimeout: Lock wait before `SQLITE_BUSY` (default 5 s).
        ///   - statementCacheCapacity: Prepared statements kept per connection (default 128).
        public init(
            readerCount: Int = 2,
            maxBatchSize: Int = 256,
            busyTimeout: Duration = .seconds(5),
            statementCacheCapacity: Int = 128
        ) {
            self.readerCount = readerCount
            self.maxBatchSize = maxBatchSize
            self.busyTimeout = busyTimeout
            self.statementCacheCapacity = statementCacheCapacity
        }

        func validate() throws {
            func check(_ valid: Bool, _ message: String) throws {
                if !valid {
                    throw SQLiteError.misuse(.invalidConfiguration, message, sql: nil)
                }
            }
            try check((1...16).contains(readerCount), "readerCount is \(readerCount); use 1 to 16")
            try check((1...100_000).contains(maxBatchSize), "maxBatchSize is \(maxBatchSize); use 1 to 100000")
            try check(busyTimeout >= .zero, "busyTimeout is negative (\(busyTimeout))")
            try check(statementCacheCapacity >= 0, "statementCacheCapacity is negative (\(statementCacheCapacity))")
        }
    }
}
