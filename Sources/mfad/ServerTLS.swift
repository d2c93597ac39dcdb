import ArgumentParser
import NIOSSL

/// Builds the server's TLS configuration from the `--tls-*` files.
enum ServerTLS {
    /// - Returns: nil without a certificate (plain TCP), else TLS 1.2 or later with the chain and
    ///   key, and with `clientCA` client certificates required and checked against it.
    /// - Throws: `ValidationError` naming the file that cannot be used.
    static func configuration(certificate: String?, key: String?, clientCA: String?) throws -> TLSConfiguration? {
        guard let certificate else {
            guard key == nil, clientCA == nil else {
                throw ValidationError("--tls-key and --tls-client-ca need --tls-cert")
            }
            return nil
        }
        guard let key else { throw ValidationError("--tls-cert needs --tls-key") }
        let chain: [NIOSSLCertificate]
        let privateKey: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw ValidationError("--tls-cert \(certificate): not a readable PEM certificate chain (\(error))")
        }
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw ValidationError("--tls-key \(key): not a readable PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCA {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
            } catch {
                throw ValidationError("--tls-client-ca \(clientCA): not a readable PEM certificate file (\(error))")
            }
            configuration.certificateVerification = .noHostnameVerification
        }
        return configuration
    }
}
