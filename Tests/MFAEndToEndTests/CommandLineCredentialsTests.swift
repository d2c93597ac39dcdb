import MFAClient
import Testing

/// The one rule mfactl and mfa-load share for `--service`/`--api-key` and their variables.
@Suite struct CommandLineCredentialsTests {
    @Test func flagsWinOverTheEnvironmentAndAKeyNeedsAService() throws {
        let environment = ["MFAD_API_KEY": "mfak_env", "MFAD_SERVICE": "env-service"]
        let fromEnvironment = try MFAClient.Credentials.fromCommandLine(service: nil, apiKey: nil) { environment[$0] }
        #expect(fromEnvironment?.service == "env-service" && fromEnvironment?.apiKey == "mfak_env")
        let fromFlags = try MFAClient.Credentials.fromCommandLine(service: "portal", apiKey: "mfak_flag") { environment[$0] }
        #expect(fromFlags?.service == "portal" && fromFlags?.apiKey == "mfak_flag")
        #expect(try MFAClient.Credentials.fromCommandLine(service: "portal", apiKey: nil) { _ in nil } == nil)
        #expect(throws: MFAClient.Credentials.CommandLineError.self) {
            try MFAClient.Credentials.fromCommandLine(service: nil, apiKey: "mfak_flag") { _ in nil }
        }
    }
}
