import Foundation
import MFAClient
import MFAConformance
import MFAWire
import NIOCore
import NIOPosix
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

    /// README (protocol decisions): over TLS, a client that pipelines and then half-closes
    /// (close_notify, then TCP FIN) gets every answer before the server closes.
    @Test func aTLSClientThatHalfClosesGetsEveryAnswer() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let mfad = try await MfadProcess(["--dev", "--db", certificates.directory.appendingPathComponent("mfa.sqlite").path,
                                          "--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey,
                                          "--max-in-flight", "4"])
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificates.caCertificate))
        let context = try NIOSSLContext(configuration: tls)
        let group = MultiThreadedEventLoopGroup.singleton
        let received = group.next().makePromise(of: [UInt8].self)
        let channel = try await ClientBootstrap(group: group).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                try channel.pipeline.syncOperations.addHandler(BytesUntilClose(received))
            }
        }.connect(host: "127.0.0.1", port: mfad.port).get()
        // Pings, and Logins that finish later, off the event loop (a password hash for the unknown email).
        var frames: [UInt8] = []
        for id in 1...40 {
            let call: Request.Call = id % 10 == 0
                ? .login(LoginRequest(email: "nobody@example.com", password: "not the password", clientInfo: "tls"))
                : .ping(PingRequest(payload: [UInt8(id)]))
            let body = try Request(id: UInt64(id), protocolVersion: 1, call: call).serializedBytes()
            frames += ScenarioSession.lengthPrefix(body.count) + body
        }
        try await channel.writeAndFlush(ByteBuffer(bytes: frames))
        try await channel.close(mode: .output)
        let timeout = group.next().scheduleTask(in: .seconds(10)) { received.fail(FrameConnection.Failure.timeout) }
        var bytes = try await received.futureResult.get()[...]
        timeout.cancel()
        var ids: [UInt64] = []
        while bytes.count >= 4 {
            let length = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
            try #require(bytes.count >= 4 + length)
            ids.append(try Response(serializedBytes: Array(bytes.dropFirst(4).prefix(length))).id)
            bytes = bytes.dropFirst(4 + length)
        }
        #expect(bytes.isEmpty)
        #expect(ids.sorted() == Array(1...40))
        _ = try await mfad.stop()
    }
}

/// Gathers every byte a connection receives and hands them over when it closes.
private final class BytesUntilClose: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private var bytes: [UInt8] = []
    private let promise: EventLoopPromise<[UInt8]>

    init(_ promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.succeed(bytes)
    }

    /// The server's close may come without close_notify; what arrived before still counts.
    func errorCaught(context: ChannelHandlerContext, error: Error) {}
}

@available(*, unavailable)
extension BytesUntilClose: Sendable {}
