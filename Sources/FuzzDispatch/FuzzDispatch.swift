import MFAFuzzHarness
import MFAWire

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
/// in order, through one environment, as the fuzzer would, printing what each was answered.
@main
struct FuzzDispatchReplay {
    static func main() async throws {
        let harness = try await DispatchFuzzHarness.make()
        for path in CommandLine.arguments.dropFirst() {
            let input = try FuzzInput.bytes(atPath: path)
            let answer = await harness.run(input)
            print("\(path): \(answer.map(describe) ?? "not dispatched (refused, or no call)")")
        }
        await harness.close()
    }

    static func describe(_ response: Response) -> String {
        switch response.result {
        case .error(let error)?: "error \(error.code): \(error.message)"
        case let result?: "ok \(String(describing: result).prefix { $0 != "(" })"
        case nil: "no result"
        }
    }
}
#endif
