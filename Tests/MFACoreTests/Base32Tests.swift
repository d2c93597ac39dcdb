import Testing
@testable import MFACore

@Suite("Base32")
struct Base32Tests {
    // RFC 4648 section 10.
    @Test(arguments: [
        ("", "", ""),
        ("f", "MY", "MY======"),
        ("fo", "MZXQ", "MZXQ===="),
        ("foo", "MZXW6", "MZXW6==="),
        ("foob", "MZXW6YQ", "MZXW6YQ="),
        ("fooba", "MZXW6YTB", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI", "MZXW6YTBOI======"),
    ])
    func rfc4648Vectors(plain: String, unpadded: String, padded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == unpadded)
        #expect(Base32.decode(unpadded) == Array(plain.utf8))
        #expect(Base32.decode(padded) == Array(plain.utf8))
        #expect(Base32.decode(unpadded.lowercased()) == Array(plain.utf8))
    }

    @Test func rfc6238SeedAsAppsShowIt() {
        let seed = Array("12345678901234567890".utf8)
        #expect(Base32.encode(seed) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(Base32.decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == seed)
        #expect(Base32.decode(" GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ ") == seed)
    }

    @Test func twentyByteSecretIs32Symbols() {
        let secret = SeededRandomSource(seed: 3).bytes(20)
        let text = Base32.encode(secret)
        #expect(text.count == 32)
        #expect(text.allSatisfy { Base32.alphabet.contains($0) })
        #expect(!text.contains("="))
    }

    @Test(arguments: [
        "MZXW6YQ0",          // 0 is not a symbol
        "MZXW6YQ1",          // 1 neither
        "MZXW6YQ8",          // nor 8
        "MZXW6YQ!",
        "MZ\tXW6",           // only spaces are ignored
        "MZ-XW6",
        "MÄXW6",
        "M",                 // 1, 3 or 6 symbols encode nothing
        "MZX",
        "MZXW6Y",
        "MZ=XW6",            // padding only at the end
        "MZ===",             // wrong amount of padding
        "MZXW6YQ==",
        "MZ=======",
        "========",
    ])
    func rejectsInvalid(text: String) {
        #expect(Base32.decode(text) == nil)
    }

    @Test func rejectsNonZeroTrailingBits() {
        // "MY" is "f" (0b01100110): 10 bits, the last 2 are padding and must be zero.
        #expect(Base32.decode("MY") == [0x66])
        // Z = 25 = 0b11001: the same first 8 bits, but the 2 spare bits are 01.
        #expect(Base32.decode("MZ") == nil)
        #expect(Base32.decode("MZ======") == nil)
        #expect(Base32.decode("M7") == nil)
    }

    @Test func roundTripsEveryLength() {
        let random = SeededRandomSource(seed: 32)
        for count in 0..<70 {
            let bytes = random.bytes(count)
            let text = Base32.encode(bytes)
            #expect(text.count == (count * 8 + 4) / 5)
            #expect(Base32.decode(text) == bytes)
        }
    }
}
