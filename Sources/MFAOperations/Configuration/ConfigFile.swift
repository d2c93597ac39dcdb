/// A configuration file in mfad's one format: a flat subset of TOML.
///
/// Each non-blank line is `key = value` or a comment (`# ...`). Keys are bare TOML keys
/// (`[A-Za-z0-9_-]+`), each at most once. Values are one of:
/// - a string: `"basic"` (escapes `\\`, `\"`, `\n`, `\t`, `\r`, `\uXXXX`) or `'literal'`;
/// - an integer: optional sign, digits, `_` between digits (`10_000`);
/// - a boolean: `true` or `false`.
/// A comment may follow a value. Tables (`[section]`), arrays, floats and dates are refused, so
/// every file this accepts is valid TOML and means the same thing to any TOML reader.
///
/// The parser knows nothing about which keys exist: ``SettingSources`` checks them.
public struct ConfigFile: Sendable, Equatable {
    /// A value as written in the file.
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case string(String)
        case integer(Int64)
        case boolean(Bool)

        /// The value as a setting's text: a string as is, an integer in decimal, `true`/`false`.
        public var text: String {
            switch self {
            case .string(let string): string
            case .integer(let integer): "\(integer)"
            case .boolean(let boolean): boolean ? "true" : "false"
            }
        }

        /// What kind of TOML value it is, for error messages.
        public var typeName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .boolean: "a boolean"
            }
        }

        public var description: String {
            switch self {
            case .string(let string): ConfigFile.quote(string)
            case .integer, .boolean: text
            }
        }
    }

    /// One `key = value` line.
    public struct Entry: Sendable, Equatable {
        /// The key as written.
        public let key: String
        /// The value.
        public let value: Value
        /// The 1-based line number, for error messages.
        public let line: Int
    }

    /// Where the file was read from (for messages); `"<text>"` when parsed from a string.
    public let path: String
    /// The entries in file order.
    public let entries: [Entry]

    /// The entry for `key`, if the file has it.
    public func entry(_ key: String) -> Entry? {
        entries.first { $0.key == key }
    }

    /// Parses `text`.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - path: where it came from, for error messages.
    /// - Returns: the parsed file.
    /// - Throws: ``ConfigurationError`` naming the path, line and (when known) the key.
    public static func parse(_ text: String, path: String = "<text>") throws(ConfigurationError) -> ConfigFile {
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            let number = index + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            var scanner = Scanner(line)
            scanner.skipSpaces()
            if scanner.isAtEnd || scanner.peek == "#" { continue }
            func fail(_ message: String, key: String? = nil) -> ConfigurationError {
                ConfigurationError(message, key: key, origin: "config file \(path), line \(number)")
            }
            if scanner.peek == "[" {
                throw fail("tables ([section]) are not supported: the file is a flat list of key = value lines")
            }
            let key = scanner.take { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            guard !key.isEmpty else {
                throw fail("expected a key (letters, digits, '-' or '_') at the start of the line")
            }
            scanner.skipSpaces()
            guard scanner.consume("=") else {
                throw fail("expected '=' after the key", key: key)
            }
            scanner.skipSpaces()
            let value: Value
            do {
                value = try scanner.value()
            } catch let error as ScanError {
                throw fail(error.message, key: key)
            } catch {
                throw fail("\(error)", key: key)
            }
            scanner.skipSpaces()
            guard scanner.isAtEnd || scanner.peek == "#" else {
                throw fail("unexpected text after the value: \(String(scanner.rest))", key: key)
            }
            if let first = seen[key] {
                throw fail("the key is set twice (first on line \(first))", key: key)
            }
            seen[key] = number
            entries.append(Entry(key: key, value: value, line: number))
        }
        return ConfigFile(path: path, entries: entries)
    }

    /// Reads and parses the file at `path`.
    /// - Throws: ``ConfigurationError`` when the file cannot be read or parsed.
    public static func load(path: String) throws(ConfigurationError) -> ConfigFile {
        let text: String
        do {
            text = try readFile(path)
        } catch {
            throw ConfigurationError("cannot read the config file: \(error)", key: "config", origin: path)
        }
        return try parse(text, path: path)
    }

    /// A TOML basic string for `text`, escaping quotes, backslashes and control characters.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A problem with the configuration: names the key and where the bad value came from.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and what to do.
    public let message: String
    /// The setting concerned (its config-file key, which is also its flag name), when known.
    public let key: String?
    /// Where the value came from: `config file PATH, line N`, `environment variable MFAD_X`, ...
    public let origin: String

    /// - Parameters:
    ///   - message: what is wrong.
    ///   - key: the setting, when known.
    ///   - origin: where the value came from.
    public init(_ message: String, key: String? = nil, origin: String) {
        self.message = message
        self.key = key
        self.origin = origin
    }

    public var description: String {
        if let key { return "\(origin): \(key): \(message)" }
        return "\(origin): \(message)"
    }
}

/// A parse failure inside one line.
private struct ScanError: Error {
    let message: String
}

/// Reads one line of the file.
private struct Scanner {
    private let text: Substring
    private var index: Substring.Index

    init(_ text: Substring) {
        self.text = text
        self.index = text.startIndex
    }

    var isAtEnd: Bool { index == text.endIndex }
    var peek: Character? { isAtEnd ? nil : text[index] }
    var rest: Substring { text[index...] }

    mutating func skipSpaces() {
        while let character = peek, character == " " || character == "\t" { advance() }
    }

    mutating func advance() { index = text.index(after: index) }

    mutating func consume(_ character: Character) -> Bool {
        guard peek == character else { return false }
        advance()
        return true
    }

    mutating func take(while predicate: (Character) -> Bool) -> String {
        let start = index
        while let character = peek, predicate(character) { advance() }
        return String(text[start..<index])
    }

    mutating func value() throws -> ConfigFile.Value {
        switch peek {
        case "\"": return .string(try basicString())
        case "'": return .string(try literalString())
        case nil: throw ScanError(message: "the value is missing")
        default:
            let word = take { !($0 == " " || $0 == "\t" || $0 == "#") }
            if word == "true" { return .boolean(true) }
            if word == "false" { return .boolean(false) }
            if let integer = Self.integer(word) { return .integer(integer) }
            if word.hasPrefix("[") || word.hasPrefix("{") {
                throw ScanError(message: "arrays and inline tables are not supported")
            }
            throw ScanError(message: "'\(word)' is not a value: write strings in double quotes, integers in digits, booleans as true or false")
        }
    }

    /// A TOML decimal integer: optional sign, no leading zero, `_` only between digits.
    private static func integer(_ word: String) -> Int64? {
        var digits = Substring(word)
        var sign = ""
        if let first = digits.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            digits = digits.dropFirst()
        }
        guard let first = digits.first, first.isASCII, first.isNumber, let last = digits.last, last.isNumber else { return nil }
        if first == "0" && digits.count > 1 { return nil }
        var previousWasUnderscore = false
        var plain = ""
        for character in digits {
            if character == "_" {
                if previousWasUnderscore { return nil }
                previousWasUnderscore = true
                continue
            }
            guard character.isASCII, character.isNumber else { return nil }
            previousWasUnderscore = false
            plain.append(character)
        }
        return Int64(sign + plain)
    }

    private mutating func basicString() throws -> String {
        advance()  // the opening quote
        var out = String.UnicodeScalarView()
        while let character = peek {
            advance()
            switch character {
            case "\"":
                return String(out)
            case "\\":
                guard let escaped = peek else { break }
                advance()
                switch escaped {
                case "\\": out.append("\\")
                case "\"": out.append("\"")
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "u", "U":
                    let count = escaped == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<count {
                        guard let digit = peek, digit.isHexDigit else {
                            throw ScanError(message: "\\\(escaped) needs \(count) hex digits")
                        }
                        hex.append(digit)
                        advance()
                    }
                    guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                        throw ScanError(message: "\\\(escaped)\(hex) is not a Unicode scalar")
                    }
                    out.append(scalar)
                default:
                    throw ScanError(message: "unknown escape \\\(escaped) in a string")
                }
            default:
                out.append(contentsOf: character.unicodeScalars)
            }
        }
        throw ScanError(message: "the string is not closed with \" on this line")
    }

    private mutating func literalString() throws -> String {
        advance()  // the opening quote
        let value = take { $0 != "'" }
        guard consume("'") else { throw ScanError(message: "the string is not closed with ' on this line") }
        return value
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole (small) file as UTF-8.
private func readFile(_ path: String) throws -> String {
    guard let file = fopen(path, "rb") else {
        throw FileError(description: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
        if count < chunk.count {
            if ferror(file) != 0 { throw FileError(description: String(cString: strerror(errno))) }
            break
        }
        guard bytes.count <= 1 << 20 else { throw FileError(description: "larger than 1 MiB") }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw FileError(description: "not valid UTF-8")
    }
    return text
}

private struct FileError: Error, CustomStringConvertible {
    let description: String
}
