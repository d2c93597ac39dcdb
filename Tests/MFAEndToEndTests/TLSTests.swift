import Foundation
import MFAClient
import MFAConformance
import MFAWire
import NIOSSL
import Testing

/// `--tls-cert`/`--tls-key` serve TLS; `--tls-client-ca` requires client certificates.
@Suite(.serialized) struct TLSTests {
    private func start(_ certificates: TestCertificates, mutual: Bool, in directory: URL) async throws -> MfadProcess {
        var arguments = ["--dev", "--db", directory.appendingPathComponent("mfa.sqlite").path,
                         "--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey]
        if mutual { arguments += ["--tls-client-ca", certificates.caCertificate] }
        return try await MfadProcess(arguments)
    }

    private func connect(_ port: Int, trusting ca: String?, clientCertificate: TestCertificates? = nil) async throws -> MFAClient {
        var configuration = MFAClient.Configuration()
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca)) }
        if let clientCertificate {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificate.clientCertificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: clientCertificate.clientKey, format: .pem))
        }
        configuration.tls = tls
        return try await MFAClient.connect(host: "127.0.0.1", port: port, configuration: configuration)
    }

    @Test func aTLSClientTrustingTheCAPingsAndPlainTCPGetsNothing() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let mfad = try await start(certificates, mutual: false, in: certificates.directory)
        let client = try await connect(mfad.port, trusting: certificates.caCertificate)
        #expect(try await client.ping(PingRequest(payload: [1, 2])).payload == [1, 2])
        await client.close()

        // A plaintext request is not TLS: the server answers no frame and closes.
        let plain = try FrameConnection(port: mfad.port, timeoutSeconds: 5)
        let body = try Request(id: 1, protocolVersion: 1, call: .ping(PingRequest())).serializedBytes()
        try plain.send(ScenarioSession.lengthPrefix(body.count) + body)
        #expect(throws: (any Error).self) { _ = try plain.readFrame() }

        // A client that does not trust the CA refuses the server.
        var failure: MFAClientError?
        do {
            let untrusting = try await connect(mfad.port, trusting: nil)
            _ = try await untrusting.ping(PingRequest())
        } catch {
            failure = error as? MFAClientError
        }
        #expect(failure != nil)
        _ = try await mfad.stop()
    }

    @Test func mutualTLSNeedsAClientCertificateFromTheCA() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let mfad = try await start(certificates, mutual: true, in: certificates.directory)
        let withCertificate = try await connect(mfad.port, trusting: certificates.caCertificate, clientCertificate: certificates)
        #expect(try await withCertificate.ping(PingRequest(payload: [3])).payload == [3])
        await withCertificate.close()

        var failure: Error?
        do {
            let without = try await connect(mfad.port, trusting: certificates.caCertificate)
            _ = try await without.ping(PingRequest())
        } catch {
            failure = error
        }
        #expect(failure != nil, "a client without a certificate must not get an answer")
        _ = try await mfad.stop()
    }
}
