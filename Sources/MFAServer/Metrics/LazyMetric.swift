import NIOConcurrencyHelpers
import Synchronization

/// One metric handle (or a small group of them), made the first time it is needed and then
/// read with one atomic load: making a swift-metrics handle asks the backend's registry (a
/// lock, a lookup and fresh label arrays) every time, which on a `Ping` cost more than the
/// answer itself. Made lazily, not up front, so that `/metrics` lists only what happened.
final class LazyMetric<Handle: AnyObject & Sendable>: Sendable {
    private let handle = AtomicLazyReference<Handle>()

    init() {}

    /// The handle, made by `make` on the first call only. Concurrent first calls make it once:
    /// the slow path runs under `creation`, a lock shared by a table's slots and taken only
    /// before the handle exists.
    /// - Parameters:
    ///   - creation: the lock that serialises making handles.
    ///   - make: makes the handle.
    /// - Returns: the one handle.
    func get(creation: NIOLock, _ make: () -> Handle) -> Handle {
        if let made = handle.load() { return made }
        return creation.withLock {
            if let raced = handle.load() { return raced }
            return handle.storeIfNil(make())
        }
    }
}
