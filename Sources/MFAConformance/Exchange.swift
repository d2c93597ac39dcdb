import MFAWire

/// One recorded scenario: the frames a client sent and the server answered, in order.
/// The file format is described in `Tests/Conformance/README.md`.
public struct Exchange: Sendable, Equatable {
    /// One step of a scenario.
    public enum Step: Sendable, Equatable {
        /// A whole frame (length prefix included) the client sends.
        case client([UInt8])
        /// A whole frame the server answers.
        case server([UInt8])
        /// The server closes the connection here.
        case closed
        /// Open a new connection to the same server.
        case reconnect
        /// Stop the server and start it again on the same database with these test-mode flags
        /// (e.g. `--seed 2`), then reconnect.
        case restart([String])
        /// Stop the server; starting it again on the same database with these test-mode flags
        /// must fail (e.g. another master key). The next `restart` starts it.
        case refusedStart([String])
    }

    /// The file name without `.exchange`.
    public var name: String
    /// What the scenario shows, one line each.
    public var summary: [String]
    public var steps: [Step]

    /// - Parameters: see the properties.
    public init(name: String, summary: [String], steps: [Step]) {
        self.name = name
        self.summary = summary
        self.steps = steps
    }
}

/// Why an exchange file could not be read.
public struct ExchangeFormatError: Error, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let problem: String
    public var description: String { "\(file):\(line): \(problem)" }
}

extension Exchange {
    /// The header line saying how the file was made (not part of the summary).
    static let recordedNote = "# Recorded against mfad --test-mode --seed 1 on a fresh database; rewrite with make conformance-record."

    /// Bytes of hex per line.
    static let bytesPerLine = 32

    /// Reads an exchange file's text.
    /// - Throws: `ExchangeFormatError` naming the line.
    public init(name: String, text: String) throws {
        var summary: [String] = []
        var steps: [Step] = []
        var current: (server: Bool, bytes: [UInt8])?
        var sawFrame = false
        func finish() {
            if let frame = current { steps.append(frame.server ? .server(frame.bytes) : .client(frame.bytes)) }
            current = nil
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let number = index + 1
            if line.hasPrefix("#") {
                if !sawFrame, !line.hasPrefix("# Conformance exchange:"), !line.hasPrefix(Self.recordedNote) {
                    let text = line.dropFirst().trimmingPrefix(" ")
                    if !text.isEmpty { summary.append(String(text)) }
                }
                continue
            }
            if line.isEmpty { finish(); continue }
            if line.hasPrefix("  "), current != nil {
                current?.bytes += try Self.hex(line.dropFirst(2), file: name, line: number)
                continue
            }
            finish()
            if line == "! closed" { steps.append(.closed); continue }
            if line == "! reconnect" { steps.append(.reconnect); continue }
            if line == "! restart" || line.hasPrefix("! restart ") {
                steps.append(.restart(line.dropFirst(9).split(separator: " ").map(String.init)))
                continue
            }
            if line == "! refused-start" || line.hasPrefix("! refused-start ") {
                steps.append(.refusedStart(line.dropFirst(15).split(separator: " ").map(String.init)))
                continue
            }
            guard let direction = line.first, direction == ">" || direction == "<", line.dropFirst().first == " " else {
                throw ExchangeFormatError(file: name, line: number, problem: "expected a frame ('>' or '<'), a '!' directive or a comment")
            }
            sawFrame = true
            current = (direction == "<", try Self.hex(line.dropFirst(2), file: name, line: number))
        }
        finish()
        self.init(name: name, summary: summary, steps: steps)
    }

    private static func hex(_ text: Substring, file: String, line: Int) throws -> [UInt8] {
        try text.split(separator: " ").map { pair in
            guard pair.count == 2, let byte = UInt8(pair, radix: 16) else {
                throw ExchangeFormatError(file: file, line: line, problem: "'\(pair)' is not a hex byte")
            }
            return byte
        }
    }

    /// The file text: summary, then each frame as hex with its decoded protobuf text beside it.
    public var text: String {
        var out = "# Conformance exchange: \(name)\n"
        for line in summary { out += "# \(line)\n" }
        out += Self.recordedNote + "\n"
        for step in steps {
            out += "\n"
            switch step {
            case .client(let bytes):
                out += Self.render(bytes, direction: ">", decoded: FrameText.request(bytes))
            case .server(let bytes):
                out += Self.render(bytes, direction: "<", decoded: FrameText.response(bytes))
            case .closed:
                out += "! closed\n"
            case .reconnect:
                out += "! reconnect\n"
            case .restart(let arguments):
                out += (["! restart"] + arguments).joined(separator: " ") + "\n"
            case .refusedStart(let arguments):
                out += (["! refused-start"] + arguments).joined(separator: " ") + "\n"
            }
        }
        return out
    }

    private static func render(_ bytes: [UInt8], direction: String, decoded: String) -> String {
        var out = ""
        var offset = 0
        repeat {
            let chunk = bytes[offset..<min(offset + bytesPerLine, bytes.count)]
            let hex = chunk.map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined(separator: " ")
            out += (offset == 0 ? "\(direction) " : "  ") + hex + "\n"
            offset += bytesPerLine
        } while offset < bytes.count
        for line in decoded.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            out += "#   \(line)\n"
        }
        return out
    }
}

/// Decoded text of recorded frames, for comments and mismatch reports.
public enum FrameText {
    /// The body of a frame: the bytes after the 4-byte length, or nil when the frame is shorter.
    public static func body(_ frame: [UInt8]) -> [UInt8]? {
        frame.count >= 4 ? Array(frame.dropFirst(4)) : nil
    }

    /// A client frame as protobuf text, or a note saying why it does not decode.
    public static func request(_ frame: [UInt8]) -> String {
        guard let body = body(frame), frame.count == body.count + 4, declaredLength(frame) == body.count else {
            return "(not a whole frame: length prefix \(declaredLength(frame).map(String.init) ?? "?"), \(frame.count) bytes)"
        }
        do {
            return try Request(serializedBytes: body).textFormat
        } catch {
            return "(not a valid Request: \(error.description))"
        }
    }

    /// A server frame as protobuf text, or a note saying why it does not decode.
    public static func response(_ frame: [UInt8]) -> String {
        guard let body = body(frame) else { return "(short frame)" }
        do {
            return try Response(serializedBytes: body).textFormat
        } catch {
            return "(not a valid Response: \(error.description))"
        }
    }

    static func declaredLength(_ frame: [UInt8]) -> Int? {
        guard frame.count >= 4 else { return nil }
        return frame.prefix(4).reduce(0) { $0 << 8 | Int($1) }
    }
}
