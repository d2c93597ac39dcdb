import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import MFAQRCode

/// An enrolment URI as MFACore builds it: percent-escapes in the label and the issuer.
let enrolmentURI = "otpauth://totp/Example%20Portal:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example%20Portal"

@Suite("QR code matrix")
struct QRCodeMatrixTests {
    @Test func squareMatrixWithFinderPatterns() throws {
        let code = try QRCode(text: enrolmentURI)
        #expect(code.errorCorrection == .medium)
        #expect(code.size == 17 + 4 * code.version)
        #expect(code.modules.allSatisfy { $0.count == code.size })
        // The three 7x7 finder patterns: dark outer ring, light ring, dark 3x3 centre.
        for (top, left) in [(0, 0), (0, code.size - 7), (code.size - 7, 0)] {
            for y in 0..<7 {
                for x in 0..<7 {
                    let ring = max(abs(y - 3), abs(x - 3))
                    #expect(code.modules[top + y][left + x] == (ring != 2), "finder at \(top),\(left) module \(y),\(x)")
                }
            }
        }
    }

    @Test func higherCorrectionNeedsMoreModules() throws {
        let low = try QRCode(text: enrolmentURI, errorCorrection: .low)
        let high = try QRCode(text: enrolmentURI, errorCorrection: .high)
        #expect(high.size > low.size)
    }

    @Test func emptyAndTooLongTextsAreRefused() {
        #expect(throws: QRCodeError.emptyText) { try QRCode(text: "") }
        // Version 40-L holds at most 2953 bytes.
        #expect(throws: QRCodeError.textTooLong(byteCount: 0)) {
            try QRCode(text: String(repeating: "é", count: 1500), errorCorrection: .low)
        }
    }
}

@Suite("QR code rendering")
struct QRCodeRenderingTests {
    @Test func pngHasSignatureAndHeader() throws {
        let code = try QRCode(text: enrolmentURI)
        let png = try code.pngData(scale: 8, border: 4)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: length 13, type, width, height (big-endian), bit depth 1, colour type 0 (gray),
        // compression 0, filter 0, interlace 0.
        #expect(Array(png[8..<16]) == [0, 0, 0, 13] + Array("IHDR".utf8))
        let side = UInt32((code.size + 8) * 8)
        let width = png[16..<20].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let height = png[20..<24].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(width == side)
        #expect(height == side)
        #expect(Array(png[24..<29]) == [1, 0, 0, 0, 0])
        // Ends with the empty IEND chunk and its fixed CRC.
        #expect(Array(png.suffix(12)) == [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])
        #expect(png.count < 4_000)
    }

    @Test func pngArgumentsAreChecked() throws {
        let code = try QRCode(text: "x")
        #expect(throws: QRCodeError.invalidArgument("")) { try code.pngData(scale: 0) }
        #expect(throws: QRCodeError.invalidArgument("")) { try code.pngData(border: -1) }
        #expect(throws: QRCodeError.invalidArgument("")) { try code.pngData(scale: 65) }
        let tiny = try code.pngData(scale: 1, border: 0)
        #expect(tiny[16..<24].elementsEqual([0, 0, 0, 21, 0, 0, 0, 21]))
    }

    @Test func svgIsWellFormedWithAViewBox() throws {
        let code = try QRCode(text: enrolmentURI)
        let svg = code.svg(scale: 4, border: 4)
        let extent = code.size + 8
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
        #expect(svg.contains("viewBox=\"0 0 \(extent) \(extent)\""))
        #expect(svg.contains("width=\"\(extent * 4)\""))
        #expect(svg.components(separatedBy: "<path ").count == 2)
        #expect(svg.allSatisfy { $0.isASCII })
        // Well-formed XML, read with Foundation's SAX parser (FoundationXML on Linux; its
        // XMLDocument attribute accessors crash on namespaced elements there).
        let elements = SVGElements()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = elements
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(elements.started.map(\.name) == ["svg", "rect", "path"])
        let root = try #require(elements.started.first)
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["version"] == "1.1")
        #expect(root.attributes["viewBox"] == "0 0 \(extent) \(extent)")
    }

    @Test func svgPathCoversExactlyTheDarkModules() throws {
        let code = try QRCode(text: "HELLO")
        let svg = code.svg(scale: 1, border: 2)
        let start = try #require(svg.range(of: " d=\""))
        let end = try #require(svg[start.upperBound...].firstIndex(of: "\""))
        var covered = Set<[Int]>()
        for command in svg[start.upperBound..<end].split(separator: "z") {
            // M{x},{y}h{run}v1h-{run}
            let numbers = command.split(whereSeparator: { "Mhv,-".contains($0) }).compactMap { Int($0) }
            try #require(numbers.count == 5 && numbers[3] == 1 && numbers[4] == numbers[2], "\(command)")
            for x in numbers[0]..<(numbers[0] + numbers[2]) { covered.insert([numbers[1] - 2, x - 2]) }
        }
        var dark = Set<[Int]>()
        for (y, row) in code.modules.enumerated() {
            for (x, module) in row.enumerated() where module { dark.insert([y, x]) }
        }
        #expect(covered == dark)
    }

    @Test(arguments: [0, 1, 2, 4])
    func terminalTextHasTwoModuleRowsALine(border: Int) throws {
        let code = try QRCode(text: enrolmentURI)
        let extent = code.size + 2 * border
        for background in [QRCode.TerminalBackground.dark, .light] {
            let text = code.terminalText(border: border, background: background)
            #expect(text.hasSuffix("\n"))
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == (extent + 1) / 2)
            #expect(lines.allSatisfy { $0.count == extent })
            #expect(text.allSatisfy { "▀▄█ \n".contains($0) })
            // Read the glyphs back into modules and compare with the matrix.
            for (lineIndex, line) in lines.enumerated() {
                for (column, glyph) in line.enumerated() {
                    let upper = glyph == "▀" || glyph == "█"
                    let lower = glyph == "▄" || glyph == "█"
                    for (row, inked) in [(2 * lineIndex, upper), (2 * lineIndex + 1, lower)] where row < extent {
                        let dark = code.isDark(row: row, column: column, border: border)
                        #expect(inked == (background == .dark ? !dark : dark))
                    }
                    if 2 * lineIndex + 1 == extent {
                        #expect(!lower, "the half row below the image shows the background")
                    }
                }
            }
        }
    }

    @Test func darkTerminalDrawsTheQuietZone() throws {
        let text = try QRCode(text: "x").terminalText(border: 2)
        // The first line is two quiet-zone rows: all light, so all full blocks on a dark terminal.
        let first = try #require(text.split(separator: "\n").first)
        #expect(first.allSatisfy { $0 == "█" })
    }
}

/// Collects the elements and attributes an `XMLParser` reports.
final class SVGElements: NSObject, XMLParserDelegate {
    var started: [(name: String, attributes: [String: String])] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        started.append((elementName, attributes))
    }
}

@Suite("QR code decodes with zbarimg")
struct QRCodeZbarTests {
    /// Decodes a PNG with zbarimg, or records a failure telling how to install it (CI installs
    /// zbar-tools; a missing tool must not silently skip the independent check).
    private func zbarimg(_ png: [UInt8]) throws -> String? {
        let tool = "/usr/bin/zbarimg"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            Issue.record("zbarimg is not installed at \(tool): run scripts/install-deps (or apt-get install -y zbar-tools)")
            return nil
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mfad-qr-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--raw", "-q", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "zbarimg exited \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: [
        enrolmentURI,
        "otpauth://totp/ACME%3A%20Corp:a%2Bb%3Ac%40%E4%BE%8B.jp?secret=74&issuer=ACME%3A%20Corp&algorithm=SHA256&digits=8&period=60",
        "HELLO WORLD 0123456789",
        "x",
    ])
    func pngDecodesToTheText(text: String) throws {
        let png = try QRCode(text: text).pngData()
        guard let decoded = try zbarimg(png) else { return }
        #expect(decoded == text + "\n")
    }

    @Test(arguments: QRCode.ErrorCorrection.allCases)
    func everyCorrectionLevelAndSmallScale(level: QRCode.ErrorCorrection) throws {
        let png = try QRCode(text: enrolmentURI, errorCorrection: level).pngData(scale: 3, border: 2)
        guard let decoded = try zbarimg(png) else { return }
        #expect(decoded == enrolmentURI + "\n")
    }

    @Test func longText() throws {
        let text = "otpauth://totp/" + String(repeating: "abcdefghij%20", count: 60)
        let code = try QRCode(text: text)
        #expect(code.version > 10)
        guard let decoded = try zbarimg(try code.pngData(scale: 4)) else { return }
        #expect(decoded == text + "\n")
    }
}
