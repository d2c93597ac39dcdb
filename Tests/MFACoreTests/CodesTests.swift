import Testing
@testable import MFACore

@Suite("Email codes")
struct EmailCodeTests {
    let format = EmailCode()

    @Test func alphabetHasNoLookAlikes() {
        #expect(EmailCode.alphabet == "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        #expect(EmailCode.alphabet.count == 32)
        #expect(Set(EmailCode.alphabet).count == 32)
        for lookAlike in ["0", "O", "1", "I"] {
            #expect(!EmailCode.alphabet.contains(lookAlike))
        }
    }

    @Test func generatesSixSymbolsFromTheAlphabet() {
        let random = SeededRandomSource(seed: 11)
        for _ in 0..<100 {
            let code = format.generate(using: random)
            #expect(code.count == 6)
            #expect(code.allSatisfy { EmailCode.alphabet.contains($0) })
        }
    }

    @Test func generationIsPinnedForTestMode() {
        // Each symbol is alphabet[next64 % 32] (computed independently).
        let random = SeededRandomSource(seed: 7)
        #expect(format.generate(using: random) == "4UYA2K")
        #expect(format.generate(using: random) == "W6ADZ2")
    }

    @Test func configurableLength() {
        let long = EmailCode(length: 8)
        #expect(long.generate(using: SeededRandomSource(seed: 1)).count == 8)
        #expect(long.normalize("abcd efgh") == "ABCDEFGH")
        #expect(long.normalize("abcdefg") == nil)
    }

    @Test func everySymbolAppearsAndNoneDominates() {
        let random = SeededRandomSource(seed: 2026)
        var counts: [Character: Int] = [:]
        let draws = 3_200 // 19 200 symbols, 600 expected per symbol
        for _ in 0..<draws {
            for symbol in format.generate(using: random) { counts[symbol, default: 0] += 1 }
        }
        #expect(counts.count == 32)
        #expect(Set(counts.keys) == Set(EmailCode.alphabet))
        for (symbol, count) in counts {
            // About 6 standard deviations either side of 600.
            #expect((450...750).contains(count), "symbol \(symbol) drawn \(count) times")
        }
    }

    @Test(arguments: [
        (" ab c2 3d ", "ABC23D"),
        ("abc23d", "ABC23D"),
        ("ABC23D", "ABC23D"),
        ("aBc23D\n", "ABC23D"),
        ("\tA B C\u{00A0}2 3 D\u{2003}", "ABC23D"),
        ("k7q-x2m", nil),
        ("abc23", nil),
        ("abc23dd", nil),
        ("", nil),
        ("      ", nil),
        ("abc0d2", nil),
        ("abcod2", nil),
        ("abc1d2", nil),
        ("abcid2", nil),
        ("abcßd", nil),
        ("ＡBC23D", nil),
        ("abc23é", nil),
    ] as [(String, String?)])
    func normalize(input: String, expected: String?) {
        #expect(format.normalize(input) == expected)
        #expect(format.isWellFormed(input) == (expected != nil))
    }

    @Test func overlongInputIsRejectedQuickly() {
        let padded = String(repeating: " ", count: 300) + "ABC23D"
        #expect(format.normalize(padded) == nil)
        #expect(format.normalize(String(repeating: " ", count: 200) + "ABC23D") == "ABC23D")
    }
}

@Suite("Opaque tokens")
struct OpaqueTokenTests {
    @Test func tokenIs43Base64URLCharacters() {
        let token = OpaqueToken.generate(using: SeededRandomSource(seed: 1))
        #expect(token.count == 43)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(OpaqueToken.isWellFormed(token))
    }

    @Test func identifierIs22Characters() {
        let id = OpaqueToken.generate(bytes: OpaqueToken.identifierByteCount, using: SeededRandomSource(seed: 1))
        #expect(id.count == 22)
        #expect(OpaqueToken.isWellFormed(id, bytes: 16))
        #expect(!OpaqueToken.isWellFormed(id))
    }

    @Test func tokensEncodeTheDrawnBytes() {
        let scripted = ScriptedRandomSource([0xfb, 0xff, 0x00])
        #expect(OpaqueToken.generate(bytes: 3, using: scripted) == "-_8A")
    }

    @Test func tokensDiffer() {
        let random = SeededRandomSource(seed: 1)
        #expect(OpaqueToken.generate(using: random) != OpaqueToken.generate(using: random))
    }

    @Test func malformedTokens() {
        #expect(!OpaqueToken.isWellFormed(""))
        #expect(!OpaqueToken.isWellFormed(String(repeating: "A", count: 42)))
        #expect(!OpaqueToken.isWellFormed(String(repeating: "A", count: 44)))
        #expect(!OpaqueToken.isWellFormed(String(repeating: "A", count: 42) + "="))
        #expect(!OpaqueToken.isWellFormed(String(repeating: "A", count: 42) + "+"))
        // 43 characters carry 258 bits: the 2 spare bits must be zero.
        #expect(OpaqueToken.isWellFormed(String(repeating: "A", count: 42) + "E"))
        #expect(!OpaqueToken.isWellFormed(String(repeating: "A", count: 42) + "B"))
    }

    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"),
        ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func base64URLRFC4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func base64URLUsesURLAlphabet() {
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
        #expect(Base64URL.decode("+/+/") == nil)
    }

    @Test func base64URLRejectsNonCanonical() {
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64URL.decode("Zm9=") == nil)
        #expect(Base64URL.decode("Zg==") == nil)
        #expect(Base64URL.decode("Zm 9v") == nil)
    }

    @Test func base64URLRoundTrips() {
        let random = SeededRandomSource(seed: 4)
        for count in 0..<40 {
            let bytes = random.bytes(count)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }
}
