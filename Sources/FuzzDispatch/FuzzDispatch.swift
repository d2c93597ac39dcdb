import MFAFuzzHarness

#if FUZZING
// Built by scripts/fuzz with libFuzzer (-sanitize=fuzzer,address -DFUZZING): libFuzzer supplies
// main and calls this for every input, on one thread; the environment is built on the first call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDispatch(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    DispatchFuzzHarness.shared.runBlocking(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
#else
/// Without libFuzzer (a plain `swift build`): replays the input files named on the command line,
/// in order, through one environment, as the fuzzer would.
@main
struct FuzzDispatchReplay {
    static func main() async throws {
        let harness = try await DispatchFuzzHarness.make()
        for path in CommandLine.arguments.dropFirst() {
            let input = try FuzzInput.bytes(atPath: path)
            await harness.run(input)
            print("ok: \(path) (\(input.count) bytes)")
        }
        await harness.close()
    }
}
#endif
