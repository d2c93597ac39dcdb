import Foundation
import MFACrypto
import Testing
@testable import MFACore

/// The RFC 6238 seeds: "12345678901234567890" repeated to the HMAC's natural key length.
private func rfcSeed(_ algorithm: HashAlgorithm) -> [UInt8] {
    let base = Array("12345678901234567890".utf8)
    let length: Int
    switch algorithm {
    case .sha1: length = 20
    case .sha256: length = 32
    case .sha512: length = 64
    }
    return (0..<length).map { base[$0 % base.count] }
}

@Suite("HOTP and TOTP codes")
struct TOTPCodeTests {
    // RFC 4226 appendix D.
    @Test(arguments: zip(0..<10, [
        "755224", "287082", "359152", "969429", "338314",
        "254676", "287922", "162583", "399871", "520489",
    ]))
    func rfc4226Vectors(counter: Int, expected: String) throws {
        let seed = Array("12345678901234567890".utf8)
        #expect(HOTP.code(secret: seed, counter: UInt64(counter), digits: 6) == expected)
        // TOTP with the counter as step, 6 digits.
        #expect(TOTP().code(secret: seed, step: Int64(counter)) == expected)
    }

    // RFC 6238 appendix B (8 digits; SHA256/SHA512 with the 32- and 64-byte seeds).
    @Test(arguments: [
        (Int64(59), HashAlgorithm.sha1, "94287082"), (59, .sha256, "46119246"), (59, .sha512, "90693936"),
        (1_111_111_109, .sha1, "07081804"), (1_111_111_109, .sha256, "68084774"), (1_111_111_109, .sha512, "25091201"),
        (1_111_111_111, .sha1, "14050471"), (1_111_111_111, .sha256, "67062674"), (1_111_111_111, .sha512, "99943326"),
        (1_234_567_890, .sha1, "89005924"), (1_234_567_890, .sha256, "91819424"), (1_234_567_890, .sha512, "93441116"),
        (2_000_000_000, .sha1, "69279037"), (2_000_000_000, .sha256, "90698825"), (2_000_000_000, .sha512, "38618901"),
        (20_000_000_000, .sha1, "65353130"), (20_000_000_000, .sha256, "77737706"), (20_000_000_000, .sha512, "47863826"),
    ])
    func rfc6238Vectors(time: Int64, algorithm: HashAlgorithm, expected: String) throws {
        let totp = TOTP(parameters: try TOTPParameters(algorithm: algorithm, digits: 8))
        let now = Timestamp(unixSeconds: time)
        #expect(totp.code(secret: rfcSeed(algorithm), at: now) == expected)
        #expect(totp.verify(code: expected, secret: rfcSeed(algorithm), now: now, lastUsedStep: nil) == time / 30)
    }

    @Test func sha256WithTheTwentyByteSeedIsTheClassicMistake() throws {
        let totp = TOTP(parameters: try TOTPParameters(algorithm: .sha256, digits: 8))
        #expect(totp.code(secret: Array("12345678901234567890".utf8), at: Timestamp(unixSeconds: 59)) == "32247374")
    }

    @Test func codesAreZeroPadded() throws {
        // RFC 6238 at 1111111109 with SHA1 is 07081804: the leading zero must survive.
        let six = TOTP()
        let code = six.code(secret: rfcSeed(.sha1), at: Timestamp(unixSeconds: 1_111_111_109))
        #expect(code == "081804")
    }

    @Test func steps() throws {
        let totp = TOTP()
        #expect(totp.step(at: Timestamp(unixSeconds: 0)) == 0)
        #expect(totp.step(at: Timestamp(unixSeconds: 29)) == 0)
        #expect(totp.step(at: Timestamp(unixSeconds: 30)) == 1)
        #expect(totp.step(at: Timestamp(unixSeconds: 59)) == 1)
        #expect(totp.step(at: Timestamp(unixSeconds: -1)) == -1)
        #expect(totp.step(at: Timestamp.testModeStart) == 58_907_520)
        let minute = TOTP(parameters: try TOTPParameters(period: 60))
        #expect(minute.step(at: Timestamp(unixSeconds: 119)) == 1)
    }

    @Test func secretsAre160RandomBits() {
        let random = SeededRandomSource(seed: 5)
        let first = TOTP.generateSecret(using: random)
        let second = TOTP.generateSecret(using: random)
        #expect(first.count == 20)
        #expect(first != second)
        let scripted = ScriptedRandomSource(Array(0..<20))
        #expect(TOTP.generateSecret(using: scripted) == Array(0..<20))
        #expect(scripted.consumed == 20)
    }
}

@Suite("TOTP parameters")
struct TOTPParametersTests {
    @Test func standardIsRFCDefaults() throws {
        let standard = TOTPParameters.standard
        #expect(standard.algorithm == .sha1)
        #expect(standard.digits == 6)
        #expect(standard.period == 30)
        #expect(standard.skewSteps == 1)
        #expect(try TOTPParameters() == standard)
    }

    @Test func invalidValuesAreRefused() {
        #expect(throws: ConfigurationError.self) { try TOTPParameters(digits: 7) }
        #expect(throws: ConfigurationError.self) { try TOTPParameters(digits: 10) }
        #expect(throws: ConfigurationError.self) { try TOTPParameters(period: 0) }
        #expect(throws: ConfigurationError.self) { try TOTPParameters(period: -30) }
        #expect(throws: ConfigurationError.self) { try TOTPParameters(skewSteps: -1) }
        #expect(throws: ConfigurationError.self) { try TOTPParameters(skewSteps: 11) }
        do {
            _ = try TOTPParameters(digits: 7)
        } catch {
            #expect(error.setting == "totp.digits")
        }
    }
}

@Suite("TOTP verification")
struct TOTPVerifyTests {
    let totp = TOTP()
    let secret = Array("12345678901234567890".utf8)
    let now = Timestamp.testModeStart.adding(seconds: 17) // inside step 58_907_520
    var current: Int64 { totp.step(at: now) }

    @Test func currentStepIsAccepted() {
        let code = totp.code(secret: secret, step: current)
        #expect(totp.verify(code: code, secret: secret, now: now, lastUsedStep: nil) == current)
    }

    @Test func oneStepEitherSideIsAccepted() {
        for offset: Int64 in [-1, 1] {
            let code = totp.code(secret: secret, step: current + offset)
            #expect(totp.verify(code: code, secret: secret, now: now, lastUsedStep: nil) == current + offset)
        }
    }

    @Test func twoStepsEitherSideAreRejected() {
        for offset: Int64 in [-3, -2, 2, 3] {
            let code = totp.code(secret: secret, step: current + offset)
            // Guard against a coincidence with an accepted step's code.
            let accepted = (-1...1).map { totp.code(secret: secret, step: current + Int64($0)) }
            #expect(!accepted.contains(code))
            #expect(totp.verify(code: code, secret: secret, now: now, lastUsedStep: nil) == nil)
        }
    }

    @Test func skewIsConfigurable() throws {
        let wide = TOTP(parameters: try TOTPParameters(skewSteps: 2))
        let strict = TOTP(parameters: try TOTPParameters(skewSteps: 0))
        let twoBack = totp.code(secret: secret, step: current - 2)
        let oneAhead = totp.code(secret: secret, step: current + 1)
        #expect(wide.verify(code: twoBack, secret: secret, now: now, lastUsedStep: nil) == current - 2)
        #expect(strict.verify(code: oneAhead, secret: secret, now: now, lastUsedStep: nil) == nil)
        #expect(strict.verify(code: totp.code(secret: secret, step: current), secret: secret, now: now, lastUsedStep: nil) == current)
    }

    @Test func replayOfTheLastUsedStepIsRejected() {
        let code = totp.code(secret: secret, step: current)
        let matched = totp.verify(code: code, secret: secret, now: now, lastUsedStep: nil)
        #expect(matched == current)
        // The same code again, with the step stored by the caller.
        #expect(totp.verify(code: code, secret: secret, now: now, lastUsedStep: matched) == nil)
        // Still rejected 20 s later (same step, or it is now the previous one).
        #expect(totp.verify(code: code, secret: secret, now: now + 20, lastUsedStep: matched) == nil)
    }

    @Test func stepsBeforeTheLastUsedOneAreRejected() {
        let previous = totp.code(secret: secret, step: current - 1)
        #expect(totp.verify(code: previous, secret: secret, now: now, lastUsedStep: current) == nil)
        // A later step is still fine after an earlier one was used.
        let next = totp.code(secret: secret, step: current + 1)
        #expect(totp.verify(code: next, secret: secret, now: now, lastUsedStep: current) == current + 1)
        #expect(totp.verify(code: previous, secret: secret, now: now, lastUsedStep: current - 2) == current - 1)
    }

    @Test func lastUsedStepInTheFutureBlocksEverything() {
        let code = totp.code(secret: secret, step: current)
        #expect(totp.verify(code: code, secret: secret, now: now, lastUsedStep: current + 5) == nil)
    }

    @Test(arguments: [" ", "  ", "\t", "\u{00A0}"])
    func spacesAreIgnored(separator: String) {
        let code = totp.code(secret: secret, step: current)
        let spaced = String(code.prefix(3)) + separator + String(code.suffix(3))
        #expect(totp.verify(code: " " + spaced + " ", secret: secret, now: now, lastUsedStep: nil) == current)
    }

    @Test func malformedInputsNeverMatch() {
        let code = totp.code(secret: secret, step: current)
        let inputs = [
            "", code + "0", String(code.dropLast()), String(code.dropLast()) + "a",
            "\u{0661}" + String(code.dropFirst()), // Arabic-Indic digit
            "-" + code, "+" + code, code + "\n0", String(repeating: " ", count: 100) + code,
        ]
        for input in inputs {
            #expect(totp.verify(code: input, secret: secret, now: now, lastUsedStep: nil) == nil, "input \(input.debugDescription)")
        }
        #expect(totp.normalize("１２３４５６") == nil) // full-width digits
        #expect(totp.normalize("12 34 56") == "123456")
    }

    @Test func eightDigitCodes() throws {
        let eight = TOTP(parameters: try TOTPParameters(digits: 8))
        let code = eight.code(secret: secret, step: current)
        #expect(code.count == 8)
        #expect(eight.verify(code: code, secret: secret, now: now, lastUsedStep: nil) == current)
        #expect(eight.verify(code: String(code.suffix(6)), secret: secret, now: now, lastUsedStep: nil) == nil)
        #expect(totp.verify(code: code, secret: secret, now: now, lastUsedStep: nil) == nil)
    }

    @Test func wrongSecretOrEmptySecret() {
        let code = totp.code(secret: secret, step: current)
        var other = secret
        other[0] ^= 1
        #expect(totp.verify(code: code, secret: other, now: now, lastUsedStep: nil) == nil)
        #expect(totp.verify(code: totp.code(secret: [], step: current), secret: [], now: now, lastUsedStep: nil) == nil)
    }

    @Test func nearTheEpochNegativeStepsAreNeverAccepted() {
        let epoch = Timestamp(unixSeconds: 5)
        let code = totp.code(secret: secret, step: -1)
        #expect(totp.verify(code: code, secret: secret, now: epoch, lastUsedStep: nil) == nil)
        #expect(totp.verify(code: totp.code(secret: secret, step: 0), secret: secret, now: epoch, lastUsedStep: nil) == 0)
    }

    @Test func extremeTimesDoNotTrap() {
        let end = Timestamp(unixSeconds: .max)
        let last = totp.step(at: end)
        #expect(totp.verify(code: totp.code(secret: secret, step: last), secret: secret, now: end, lastUsedStep: nil) == last)
        #expect(totp.verify(code: "123456", secret: secret, now: Timestamp(unixSeconds: .min), lastUsedStep: nil) == nil)
    }

    @Test func collidingCodesReturnTheLaterStep() {
        // Steps 59_061_240 and 59_061_241 share the code 963181 under the RFC seed (found by
        // scanning with an independent Python HMAC). Both are acceptable: the later one wins,
        // so storing it blocks both.
        let middle = Timestamp(unixSeconds: 59_061_240 * 30 + 31)
        #expect(totp.code(secret: secret, step: 59_061_240) == "963181")
        #expect(totp.code(secret: secret, step: 59_061_241) == "963181")
        #expect(totp.verify(code: "963181", secret: secret, now: middle, lastUsedStep: nil) == 59_061_241)
        #expect(totp.verify(code: "963181", secret: secret, now: middle, lastUsedStep: 59_061_241) == nil)
    }
}

@Suite("TOTP against oathtool")
struct TOTPOathtoolTests {
    /// Runs oathtool, or records a failure telling how to install it (CI installs it; a missing
    /// tool must not silently skip the independent check).
    private func oathtool(_ arguments: [String]) throws -> String? {
        let path = "/usr/bin/oathtool"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            Issue.record("oathtool is not installed at \(path): run scripts/install-deps (or apt-get install -y oathtool)")
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "oathtool \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func testModeStartWithTheRFCSeed() throws {
        let secret = Array("12345678901234567890".utf8)
        guard let expected = try oathtool(["--totp", "-b", Base32.encode(secret), "--now", "2026-01-01 00:00:00 UTC"]) else { return }
        #expect(TOTP().code(secret: secret, at: Timestamp.testModeStart) == expected)
    }

    @Test(arguments: [HashAlgorithm.sha1, .sha256, .sha512])
    func randomSecretsAndTimes(algorithm: HashAlgorithm) throws {
        let random = SeededRandomSource(seed: 6238)
        for digits in [6, 8] {
            let totp = TOTP(parameters: try TOTPParameters(algorithm: algorithm, digits: digits))
            for _ in 0..<3 {
                let secret = TOTP.generateSecret(using: random)
                let time = Int64(random.randomInt(below: 4_000_000_000))
                guard let expected = try oathtool([
                    "--totp=\(algorithm.rawValue)", "-b", "-d", String(digits), "-s", "30",
                    "--now", "@\(time)", Base32.encode(secret),
                ]) else { return }
                #expect(totp.code(secret: secret, at: Timestamp(unixSeconds: time)) == expected,
                        "\(algorithm.rawValue) \(digits) digits at \(time)")
                #expect(totp.verify(code: expected, secret: secret, now: Timestamp(unixSeconds: time), lastUsedStep: nil)
                        == totp.step(at: Timestamp(unixSeconds: time)))
            }
        }
    }
}
