extension MFAClient.Credentials {
    /// Why command-line credentials cannot be used.
    public struct CommandLineError: Error, CustomStringConvertible {
        public let description = "an API key needs its service name: --service or MFAD_SERVICE"
    }

    /// The credentials a command-line tool was given: `--api-key` or `MFAD_API_KEY`, with
    /// `--service` or `MFAD_SERVICE` (flags win). The environment is the better place for the key:
    /// flags show in the process list.
    /// - Parameters:
    ///   - service: the `--service` flag, if given.
    ///   - apiKey: the `--api-key` flag, if given.
    ///   - environment: reads a variable; nil when unset or empty.
    /// - Returns: nil when no key was given (a server run with `--dev`).
    /// - Throws: `CommandLineError` for a key without a service name.
    public static func fromCommandLine(service: String?, apiKey: String?,
                                       environment: (String) -> String?) throws(CommandLineError) -> Self? {
        guard let apiKey = apiKey ?? environment("MFAD_API_KEY") else { return nil }
        guard let service = service ?? environment("MFAD_SERVICE") else { throw CommandLineError() }
        return Self(service: service, apiKey: apiKey)
    }
}
