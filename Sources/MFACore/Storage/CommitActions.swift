/// What a transaction body asks to happen only once its changes are durable: waking the delivery
/// worker, moving test mode's in-memory clock. A body may be run more than once (PostgreSQL runs a
/// `SERIALIZABLE` body again from the start after a serialization failure) or rolled back, so it
/// must not touch anything outside the transaction itself; it registers such effects here instead.
///
/// Each engine gives every run of a body a fresh collector and runs the actions of the one run
/// that committed, after the commit, in the order they were registered. Actions of a run that
/// threw, was rolled back, or was retried are dropped. Read transactions run theirs when the read
/// ends.
///
/// Used from the one thread running the transaction; not `Sendable` on purpose.
public final class CommitActions {
    private var actions: [@Sendable () -> Void] = []

    /// An empty collector, for one run of one body.
    public init() {}

    /// Registers `action` to run after this run of the body commits.
    /// - Parameter action: The effect; runs on the thread that awaited the transaction.
    public func append(_ action: @escaping @Sendable () -> Void) {
        actions.append(action)
    }

    /// The registered actions, leaving the collector empty; the engine runs them after the commit.
    /// - Returns: The actions in registration order.
    public func take() -> [@Sendable () -> Void] {
        defer { actions = [] }
        return actions
    }
}

extension MFAStorage {
    /// Runs `body` in a write transaction whose ``CommitActions`` run once it committed.
    ///
    /// For engines: call it with a closure that runs the body once with a fresh collector and
    /// returns the value with the collector's actions; retried runs simply return later.
    /// - Parameter run: Runs the transaction and answers the committed run's value and actions.
    /// - Returns: The committed value, after its actions ran.
    /// - Throws: What `run` threw; then no action ran.
    public static func committing<T: Sendable>(
        _ run: () async throws -> (T, [@Sendable () -> Void])
    ) async throws -> T {
        let (value, actions) = try await run()
        for action in actions { action() }
        return value
    }
}
