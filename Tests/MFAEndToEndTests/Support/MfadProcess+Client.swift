import MFAClient
import MFAConformance

extension MfadProcess {
    /// A Swift client connected to this process.
    func client() async throws -> MFAClient {
        try await MFAClient.connect(host: "127.0.0.1", port: port)
    }
}
