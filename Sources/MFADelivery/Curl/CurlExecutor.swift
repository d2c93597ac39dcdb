import Dispatch

/// Runs blocking libcurl transfers on a serial Dispatch queue of their own, so that they never
/// block a Swift concurrency thread or a NIO event loop.
final class CurlExecutor: Sendable {
    private let queue: DispatchQueue

    /// - Parameter label: The queue's name (shows in thread dumps).
    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the queue and waits for it without blocking the caller's thread.
    /// - Parameter body: The blocking work.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws(DeliveryError) -> T) async throws(DeliveryError) -> T {
        let result: Result<T, DeliveryError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(DeliveryError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
