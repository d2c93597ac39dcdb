import MFAOperations
import Testing

@Suite struct DatabaseLocationTests {
    @Test(arguments: [
        ("./mfa.sqlite", DatabaseLocation.sqlite(path: "./mfa.sqlite")),
        ("/var/lib/mfad/mfa.sqlite", .sqlite(path: "/var/lib/mfad/mfa.sqlite")),
        ("sqlite:/var/lib/mfad/mfa.sqlite", .sqlite(path: "/var/lib/mfad/mfa.sqlite")),
        ("sqlite:///var/lib/mfad/mfa.sqlite", .sqlite(path: "/var/lib/mfad/mfa.sqlite")),
        ("sqlite:mfa.sqlite", .sqlite(path: "mfa.sqlite")),
        ("postgres://mfad@db:5432/mfa", .postgres(url: "postgres://mfad@db:5432/mfa")),
        ("postgresql://mfad:pw@db/mfa", .postgres(url: "postgresql://mfad:pw@db/mfa")),
        ("POSTGRES://mfad@db/mfa", .postgres(url: "POSTGRES://mfad@db/mfa")),
    ])
    func valuesSelectTheirEngine(value: String, expected: DatabaseLocation) throws {
        #expect(try DatabaseLocation(parsing: value) == expected)
    }

    @Test(arguments: ["", "sqlite:", "sqlite://", "mysql://root:secret@db/mfa", "redis://cache"])
    func valuesWithoutAnEngineAreRefusedWithoutEchoingThem(value: String) {
        do {
            let location = try DatabaseLocation(parsing: value)
            Issue.record("accepted \(value) as \(location)")
        } catch {
            #expect(error.key == "db")
            #expect(!error.message.contains("secret"))
        }
    }

    @Test func descriptionsMaskThePassword() throws {
        #expect(try DatabaseLocation(parsing: "postgres://mfad:s3cret@db:5432/mfa").description == "postgres://mfad:***@db:5432/mfa")
        #expect(try DatabaseLocation(parsing: "postgres://mfad:p@ss@db/mfa").description == "postgres://mfad:***@db/mfa")
        #expect(try DatabaseLocation(parsing: "postgres://mfad@db/mfa?sslmode=disable").description
            == "postgres://mfad@db/mfa?sslmode=disable")
        #expect(try DatabaseLocation(parsing: "./mfa.sqlite").description == "sqlite:./mfa.sqlite")
    }
}
