/// The source of "now" for every rule. Injected so that tests and test mode control time.
///
/// Note: this shadows the standard library's `Swift.Clock` inside modules that import `MFACore`;
/// write `Swift.Clock` there for the other one.
public protocol Clock: Sendable {
    /// The current time.
    /// - Returns: The current time in whole seconds.
    func now() -> Timestamp
}
