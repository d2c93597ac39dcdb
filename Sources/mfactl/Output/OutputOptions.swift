import ArgumentParser
import MFACtlSupport

/// The `--json` flag every command takes, and the one function that prints a command's result.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the response as one JSON object on one line (proto field names, times as unix seconds).")
    var json = false

    /// How to render.
    var format: OutputFormat { json ? .json : .human }

    /// Prints a response to stdout, for people or as JSON.
    /// - Parameter response: what the server answered.
    func emit(_ response: some OutputRecordConvertible) {
        emit(response.outputRecord)
    }

    /// Prints a record to stdout, for people or as JSON.
    /// - Parameter record: the fields to print.
    func emit(_ record: OutputRecord) {
        print(OutputRenderer.render(record, as: format))
    }
}
