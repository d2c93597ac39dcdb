import MFAClient
import MFAConformance

extension MFAClient.Credentials {
    /// The API key the end-to-end suites register in every test-mode database.
    static let endToEnd = MFAClient.Credentials(service: "e2e", apiKey: "mfak_end-to-end-test-key-not-a-secret")
}

extension MfadProcess {
    /// A Swift client connected to this process, authenticated with `credentials` (nil for a
    /// server started with `--dev`).
    func client(credentials: MFAClient.Credentials? = nil) async throws -> MFAClient {
        var configuration = MFAClient.Configuration()
        configuration.credentials = credentials
        return try await MFAClient.connect(host: "127.0.0.1", port: port, configuration: configuration)
    }
}
