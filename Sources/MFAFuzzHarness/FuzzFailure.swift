/// How a fuzz harness reports a broken invariant: a crash with a message, which libFuzzer records
/// as a finding (with the input) and a test run reports as a failure of the process.
enum FuzzFailure {
    /// Stops the process with `message`, prefixed so that findings of the harness itself are
    /// easy to tell from crashes in the code under test.
    static func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        fatalError("fuzz invariant broken: \(message)", file: file, line: line)
    }

    /// Fails with `message` unless `condition` holds.
    static func check(_ condition: Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #fileID, line: UInt = #line) {
        if !condition { fail(message(), file: file, line: line) }
    }
}
