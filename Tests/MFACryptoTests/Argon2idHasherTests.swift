import Testing
@testable import MFACrypto

@Suite("Argon2id")
struct Argon2idHasherTests {
    /// The reference suite's vector (checked with the Debian `argon2` CLI).
    static let referenceEncoded = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
    static let reference = Argon2idHasher(parameters: .init(memoryKiB: 65536, iterations: 2, parallelism: 1, saltLength: 8, hashLength: 32))

    /// Cheap parameters so that the tests stay fast.
    static let cheap = Argon2idHasher(parameters: .init(memoryKiB: 64, iterations: 1, parallelism: 1, saltLength: 16, hashLength: 32))

    @Test func defaultsAreOWASP() {
        let parameters = Argon2idHasher().parameters
        #expect(parameters == .init(memoryKiB: 19456, iterations: 2, parallelism: 1, saltLength: 16, hashLength: 32))
    }

    @Test func referenceVector() throws {
        let encoded = try Self.reference.hash(password: "password", salt: Array("somesalt".utf8))
        #expect(encoded == Self.referenceEncoded)
    }

    @Test func verifyReferenceVector() {
        #expect(Self.cheap.verify(password: "password", encoded: Self.referenceEncoded))
        #expect(!Self.cheap.verify(password: "passwore", encoded: Self.referenceEncoded))
        #expect(!Self.cheap.verify(password: "", encoded: Self.referenceEncoded))
    }

    @Test func hashAndVerifyUnicodePassword() throws {
        let password = "pässwörd 🔐 ∑ 日本語"
        let encoded = try Self.cheap.hash(password: password)
        #expect(encoded.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$"))
        #expect(Self.cheap.verify(password: password, encoded: encoded))
        #expect(!Self.cheap.verify(password: "pässwörd 🔐 ∑ 日本", encoded: encoded))
        // Decomposed "ä" is different bytes: no normalisation is applied.
        #expect(!Self.cheap.verify(password: "pa\u{0308}sswörd 🔐 ∑ 日本語", encoded: encoded))
    }

    @Test func freshSaltsGiveDifferentStrings() throws {
        let first = try Self.cheap.hash(password: "correct horse")
        let second = try Self.cheap.hash(password: "correct horse")
        #expect(first != second)
        #expect(Self.cheap.verify(password: "correct horse", encoded: first))
        #expect(Self.cheap.verify(password: "correct horse", encoded: second))
    }

    @Test(arguments: [
        "",
        "garbage",
        "$argon2id$",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$",
        "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=2$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=abc,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=2,p=1$c29t!XNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPP",
        "$argon2id$v=19$m=99999999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        // Parses, but names 64 GiB of memory: refused before libargon2 tries to allocate it.
        "$argon2id$v=19$m=67108864,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc\0junk",
    ])
    func malformedEncodedIsFalse(encoded: String) {
        #expect(!Self.cheap.verify(password: "password", encoded: encoded))
    }

    @Test func tooShortSaltIsATypedError() {
        #expect(throws: CryptoError.invalidArgument("")) {
            _ = try Self.cheap.hash(password: "password", salt: [1, 2, 3, 4, 5, 6, 7])
        }
    }

    @Test func zeroIterationsIsATypedError() {
        let hasher = Argon2idHasher(parameters: .init(memoryKiB: 64, iterations: 0))
        #expect(throws: CryptoError.invalidArgument("")) {
            _ = try hasher.hash(password: "password", salt: Array("somesalt".utf8))
        }
    }

    @Test func parsesParameters() throws {
        let parsed = try #require(Argon2EncodedHash(parsing: Self.referenceEncoded))
        #expect(parsed.version == 19)
        #expect(parsed.memoryKiB == 65536)
        #expect(parsed.iterations == 2)
        #expect(parsed.parallelism == 1)
        #expect(parsed.saltLength == 8)
        #expect(parsed.hashLength == 32)
    }

    @Test func needsRehash() {
        let defaults = Argon2idHasher()
        // Reference vector: more memory than the defaults, same t and p, but an 8-byte salt < 16.
        #expect(defaults.needsRehash(encoded: Self.referenceEncoded))
        let sameAsDefaults = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        #expect(!defaults.needsRehash(encoded: sameAsDefaults))
        let stronger = "$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        #expect(!defaults.needsRehash(encoded: stronger))
        let lessMemory = "$argon2id$v=19$m=19455,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        #expect(defaults.needsRehash(encoded: lessMemory))
        let fewerIterations = "$argon2id$v=19$m=19456,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        #expect(defaults.needsRehash(encoded: fewerIterations))
        let oldVersion = "$argon2id$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        #expect(defaults.needsRehash(encoded: oldVersion))
        #expect(defaults.needsRehash(encoded: "not a hash"))
        // A hash made by the default hasher never needs a rehash with it.
        #expect(throws: Never.self) {
            let fresh = try defaults.hash(password: "some password")
            #expect(!defaults.needsRehash(encoded: fresh))
        }
    }
}
