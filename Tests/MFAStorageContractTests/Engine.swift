import MFAStorageTestSupport

/// The engines every contract test runs against (see MFAStorageTestSupport).
typealias Engine = StorageEngine
