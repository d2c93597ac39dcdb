import MFAPostgresStore
import Testing

@Suite("PostgresLocation: URL parsing")
struct PostgresLocationTests {
    @Test func fullTCPForm() throws {
        let location = try PostgresLocation(url: "postgres://mfa:s3cret@db.internal:6543/mfad")
        #expect(location.endpoint == .tcp(host: "db.internal", port: 6543))
        #expect(location.username == "mfa")
        #expect(location.password == "s3cret")
        #expect(location.database == "mfad")
    }

    @Test func postgresqlSchemeDefaultPortNoPassword() throws {
        let location = try PostgresLocation(url: "postgresql://mfa@127.0.0.1/mfad")
        #expect(location.endpoint == .tcp(host: "127.0.0.1", port: 5432))
        #expect(location.password == nil)
    }

    @Test func ipv6Host() throws {
        let location = try PostgresLocation(url: "postgres://mfa@[::1]:5433/mfad")
        #expect(location.endpoint == .tcp(host: "::1", port: 5433))
    }

    @Test func percentEncodedParts() throws {
        let location = try PostgresLocation(url: "postgres://m%40fa:p%3Aw%2Fd%40x@host/my%20db")
        #expect(location.username == "m@fa")
        #expect(location.password == "p:w/d@x")
        #expect(location.database == "my db")
    }

    @Test func unixSocketForms() throws {
        let query = try PostgresLocation(url: "postgres://mfa@/mfad?host=/run/postgresql&port=5433")
        #expect(query.endpoint == .unixSocket(directory: "/run/postgresql", port: 5433))
        let encoded = try PostgresLocation(url: "postgres://mfa@%2Frun%2Fpostgresql/mfad")
        #expect(encoded.endpoint == .unixSocket(directory: "/run/postgresql", port: 5432))
    }

    @Test func sslmodesReadAsTheirTLSMode() throws {
        #expect(try PostgresLocation(url: "postgres://mfa@host/mfad?sslmode=disable").tls == .disable)
        #expect(try PostgresLocation(url: "postgres://mfa@host/mfad").tls == .disable)
        #expect(try PostgresLocation(url: "postgres://mfa@host/mfad?sslmode=require").tls == .require)
        #expect(try PostgresLocation(url: "postgres://mfa@host/mfad?sslmode=verify-ca").tls == .verifyCA(rootCertificate: nil))
        #expect(try PostgresLocation(url: "postgres://mfa@host/mfad?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem").tls
            == .verifyFull(rootCertificate: "/etc/ca.pem"))
    }

    @Test(arguments: [
        "mysql://mfa@host/db", "postgres://mfa@host", "postgres://mfa@host/", "postgres://@host/db", "postgres://host/db",
        "postgres://mfa@host:0/db", "postgres://mfa@host:99999/db", "postgres://mfa@host:abc/db", "postgres://mfa@/db",
        "postgres://mfa@host/db?color=blue", "postgres://mfa@[::1/db", "postgres://mfa:pw%zz@host/db",
    ])
    func malformedURLsAreRefused(url: String) {
        #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: url) }
    }

    @Test func errorsAndDescriptionNeverShowThePassword() throws {
        let location = try PostgresLocation(url: "postgres://mfa:hunter2@db:5432/mfad")
        #expect(location.description == "postgres://mfa@db:5432/mfad")
        #expect(!"\(location)".contains("hunter2"))
        do {
            _ = try PostgresLocation(url: "postgres://mfa:hunter2@db:70000/mfad")
            Issue.record("a bad port was accepted")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
        do {
            _ = try PostgresLocation(url: "postgres://mfa:hun%zzter2@db/mfad")
            Issue.record("a bad escape was accepted")
        } catch {
            #expect(!"\(error)".contains("hun"))
        }
    }

    @Test func urlRoundTrips() throws {
        for url in ["postgres://m%40fa:p%3Aw@db:6543/my%20db", "postgres://mfa@[::1]:5432/mfad",
                    "postgres://mfa@/mfad?host=%2Frun%2Fpostgresql&port=5432"] {
            let location = try PostgresLocation(url: url)
            #expect(try PostgresLocation(url: location.url(includingPassword: true)) == location)
        }
    }

    @Test func passwordFallbacks() throws {
        let withPassword = try PostgresLocation(url: "postgres://mfa:fromurl@db/mfad")
        #expect(withPassword.resolvedPassword(fallback: "given") == "fromurl")
        let without = try PostgresLocation(url: "postgres://mfa@db/mfad")
        #expect(without.resolvedPassword(fallback: "given") == "given")
    }
}
