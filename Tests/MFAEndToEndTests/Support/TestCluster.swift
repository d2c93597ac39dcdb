import MFAClient
import MFAPostgresStore
import MFAStorageTestSupport
import Testing

/// Several `mfad --test-mode` nodes on different ports sharing one scratch PostgreSQL database
/// (on the server of `MFA_TEST_POSTGRES_URL`, see scripts/with-postgres), for the multi-node tests.
///
/// Use it through ``withCluster(nodes:extraArguments:_:)``. Each node keeps its own manual clock
/// (started from the clock persisted in the database); ``advanceClock(_:)`` moves them together.
final class TestCluster {
    /// The nodes, in the order they were started; each has its own connection.
    let nodes: [TestMfad]
    /// The shared database.
    let database: PostgresScratchDatabase

    fileprivate init(nodes: [TestMfad], database: PostgresScratchDatabase) {
        self.nodes = nodes
        self.database = database
    }

    /// Node `index`.
    subscript(_ index: Int) -> TestMfad { nodes[index] }

    /// Moves every node's manual clock by `seconds` and requires that they agree afterwards.
    /// - Returns: the new time.
    @discardableResult
    func advanceClock(_ seconds: UInt64, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int64 {
        var times: [Int64] = []
        for node in nodes where node.process.process.isRunning {
            times.append(try await node.advanceClock(seconds))
        }
        let now = try #require(times.first, "no node is running", sourceLocation: sourceLocation)
        try #require(Set(times).count == 1, "the nodes' clocks disagree: \(times)", sourceLocation: sourceLocation)
        return now
    }

    /// `perNode` more connections to every node, spread: node 0, node 1, ..., node 0, ...
    func connections(perNode: Int) async throws -> [MFAClient] {
        var byNode: [[MFAClient]] = []
        for node in nodes { byNode.append(try await node.connections(perNode)) }
        return (0..<perNode).flatMap { index in byNode.map { $0[index] } }
    }
}

/// Runs `body` against `nodes` fresh test-mode `mfad` processes sharing a new scratch PostgreSQL
/// database (the end-to-end API key registered once), then stops them and drops the database,
/// whether `body` succeeded or not.
/// - Parameter extraArguments: more flags for every node (e.g. `--smtp-url`).
/// - Throws: `MissingPostgresServer` (the test fails, never skips) when `MFA_TEST_POSTGRES_URL` is
///   unset; what starting a node or `body` throws.
func withCluster(nodes count: Int = 3, extraArguments: [String] = [],
                 _ body: (TestCluster) async throws -> Void) async throws {
    try await TestSupport.withScratchDatabase { database in
        try TestMfad.registerEndToEndKey(database: database.url)
        var nodes: [TestMfad] = []
        do {
            // One after the other: each start counts a boot in the database, mixed into its seed.
            for _ in 0..<count {
                nodes.append(try await TestMfad(.test, database: database.url, extraArguments: extraArguments))
            }
        } catch {
            for node in nodes { await node.shutDown() }
            throw error
        }
        let cluster = TestCluster(nodes: nodes, database: database)
        try await shuttingDown(nodes) { try await body(cluster) }
    }
}
