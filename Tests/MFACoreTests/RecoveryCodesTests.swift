import Testing
@testable import MFACore

@Suite("Recovery codes")
struct RecoveryCodesTests {
    @Test func tenGroupedCodesFromTheAlphabet() {
        let codes = RecoveryCodes.generate(using: SeededRandomSource(seed: 10))
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        for code in codes {
            let parts = code.split(separator: "-", omittingEmptySubsequences: false)
            #expect(parts.count == 2, "\(code)")
            #expect(parts.allSatisfy { $0.count == 5 }, "\(code)")
            #expect(parts.joined().allSatisfy { RecoveryCodes.alphabet.contains($0) }, "\(code)")
            #expect(RecoveryCodes.normalize(code) == code.replacingOccurrences(of: "-", with: ""))
            #expect(RecoveryCodes.displayForm(code) == code)
        }
    }

    @Test func countIsConfigurable() {
        #expect(RecoveryCodes.generate(count: 1, using: SeededRandomSource(seed: 1)).count == 1)
        #expect(RecoveryCodes.generate(count: 25, using: SeededRandomSource(seed: 1)).count == 25)
    }

    @Test func symbolsAreUniformAndDrawnFromTheSource() {
        // 0, 1, ..., 9 as successive 64-bit draws pick alphabet[0...9].
        let scripted = ScriptedRandomSource((0..<10).flatMap { littleEndian(UInt64($0)) })
        #expect(RecoveryCodes.generate(count: 1, using: scripted) == ["ABCDE-FGHJK"])
        #expect(scripted.consumed == 80)

        let random = SeededRandomSource(seed: 2026)
        var counts: [Character: Int] = [:]
        for code in RecoveryCodes.generate(count: 1_920, using: random) { // 19 200 symbols, 600 each
            for symbol in code where symbol != "-" { counts[symbol, default: 0] += 1 }
        }
        #expect(Set(counts.keys) == Set(RecoveryCodes.alphabet))
        for (symbol, count) in counts {
            #expect((450...750).contains(count), "symbol \(symbol) drawn \(count) times")
        }
    }

    @Test func duplicatesWithinASetAreDrawnAgain() {
        // Two identical codes scripted, then a different one.
        let draws = (0..<10).map { _ in UInt64(0) } + (0..<10).map { _ in UInt64(0) } + (0..<10).map { _ in UInt64(1) }
        let scripted = ScriptedRandomSource(draws.flatMap(littleEndian))
        #expect(RecoveryCodes.generate(count: 2, using: scripted) == ["AAAAA-AAAAA", "BBBBB-BBBBB"])
    }

    @Test(arguments: [
        ("ABCDE-FGHJK", "ABCDEFGHJK"),
        ("abcde-fghjk", "ABCDEFGHJK"),
        ("abcdefghjk", "ABCDEFGHJK"),
        (" ab cde - fg hjk\n", "ABCDEFGHJK"),
        ("A-B-C-D-E-F-G-H-J-K", "ABCDEFGHJK"),
        ("\u{00A0}ABCDE FGHJK\t", "ABCDEFGHJK"),
        ("ABCDE-FGHJ", nil),
        ("ABCDE-FGHJKL", nil),
        ("ABCDE_FGHJK", nil),
        ("ABCDE–FGHJK", nil), // en dash: only ASCII '-' is ignored
        ("ABCD0-FGHJK", nil),
        ("ABCDO-FGHJK", nil),
        ("ABCD1-FGHJK", nil),
        ("ABCDI-FGHJK", nil),
        ("ÀBCDE-FGHJK", nil),
        ("", nil),
        ("----------", nil),
    ] as [(String, String?)])
    func normalize(input: String, expected: String?) {
        #expect(RecoveryCodes.normalize(input) == expected)
    }

    @Test func overlongInputIsRejected() {
        #expect(RecoveryCodes.normalize(String(repeating: "-", count: 300) + "ABCDEFGHJK") == nil)
        #expect(RecoveryCodes.displayForm("abcdefghjk") == "ABCDE-FGHJK")
        #expect(RecoveryCodes.displayForm("abc") == nil)
    }
}
