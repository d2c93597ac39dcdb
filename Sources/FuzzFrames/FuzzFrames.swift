import MFAFuzzHarness

#if FUZZING
// Built by scripts/fuzz with libFuzzer (-sanitize=fuzzer,address -DFUZZING): libFuzzer supplies
// main and calls this for every input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FrameFuzzHarness.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
#else
/// Without libFuzzer (a plain `swift build`): replays the input files named on the command line
/// through the same harness, e.g. a crash file under a debugger.
@main
struct FuzzFramesReplay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let input = try FuzzInput.bytes(atPath: path)
            input.withUnsafeBytes { FrameFuzzHarness.run($0) }
            print("ok: \(path) (\(input.count) bytes)")
        }
    }
}
#endif
