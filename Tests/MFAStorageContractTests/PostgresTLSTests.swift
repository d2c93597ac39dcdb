import MFAPostgresStore
import MFAStorageTestSupport
import Testing

/// `sslmode` in the URL: verify-full checks the server's certificate against `sslrootcert` (the
/// private server of scripts/with-postgres has a self-signed one for 127.0.0.1), and a server the
/// client cannot verify is refused rather than used.
@Suite("PostgresMFAStorage: TLS")
struct PostgresTLSTests {
    /// The test server's URL with `tls` set.
    private func location(_ tls: PostgresLocation.TLSMode) throws -> PostgresLocation {
        var location = try PostgresLocation(url: try TestSupport.postgresURL())
        location.tls = tls
        return location
    }

    private func certificate() throws -> String {
        guard let path = PostgresTestEnvironment.value("MFA_TEST_POSTGRES_CA") else { throw MissingPostgresServer() }
        return path
    }

    @Test func verifyFullWithTheServersCertificateWorksAndRoundTripsThroughTheURL() async throws {
        let secured = try location(.verifyFull(rootCertificate: try certificate()))
        let parsed = try PostgresLocation(url: secured.url(includingPassword: true))
        #expect(parsed == secured)
        #expect(secured.description.contains("sslmode=verify-full"))
        let storage = try await PostgresMFAStorage.open(location: parsed, poolSize: 1, logger: TestSupport.logger)
        try await storage.write { try await $0.setSetting("tls", "yes") }
        #expect(try await storage.read { try await $0.setting("tls") } == "yes")
        await storage.close()
    }

    @Test func requireEncryptsWithoutCheckingTheCertificate() async throws {
        let storage = try await PostgresMFAStorage.open(location: try location(.require), poolSize: 1, logger: TestSupport.logger)
        #expect(await storage.readinessProblem() == nil)
        await storage.close()
    }

    @Test func aServerTheSystemRootsDoNotTrustIsRefused() async throws {
        do {
            let storage = try await PostgresMFAStorage.open(location: try location(.verifyFull(rootCertificate: nil)), poolSize: 1,
                                                            logger: TestSupport.logger)
            await storage.close()
            Issue.record("a self-signed server certificate was accepted under verify-full with the system roots")
        } catch let error as PostgresStoreError {
            guard case .connectionFailed = error else {
                Issue.record("expected connectionFailed, got \(error)")
                return
            }
        }
    }

    @Test func anUnreadableRootCertificateIsAClearError() async throws {
        await #expect(throws: PostgresStoreError.self) {
            _ = try await PostgresMFAStorage.open(location: try location(.verifyFull(rootCertificate: "/nonexistent/ca.pem")),
                                                  poolSize: 1, logger: TestSupport.logger)
        }
    }

    @Test(arguments: ["prefer", "allow", "bogus"])
    func modesThatMayFallBackToPlainTextAreRefused(mode: String) {
        #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: "postgres://mfad@db/mfa?sslmode=\(mode)") }
    }

    @Test func aRootCertificateWithoutVerificationIsRefused() {
        #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: "postgres://mfad@db/mfa?sslmode=require&sslrootcert=/ca.pem") }
        #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: "postgres://mfad@db/mfa?sslrootcert=/ca.pem") }
    }
}
