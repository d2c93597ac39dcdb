import Foundation

/// Reads fuzz inputs kept as files: regression inputs under `Tests/Fuzz/regressions/<target>/`
/// and libFuzzer's crash files.
///
/// A file ending in `.hex` is text: pairs of hex digits, separated by any whitespace; `#` starts
/// a comment that runs to the end of the line. Any other file is the input's raw bytes.
public enum FuzzInput {
    /// Why an input file could not be read.
    public struct FormatError: Error, CustomStringConvertible {
        public let path: String
        public let line: Int
        public let token: String
        public var description: String { "\(path):\(line): '\(token)' is not a hex byte (two hex digits)" }
    }

    /// The bytes of the input stored at `path`.
    /// - Parameter path: a `.hex` file or a raw one.
    /// - Returns: the input.
    /// - Throws: when the file cannot be read, or a `.hex` file holds something other than hex bytes.
    public static func bytes(atPath path: String) throws -> [UInt8] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard path.hasSuffix(".hex") else { return [UInt8](data) }
        return try parseHex(String(decoding: data, as: UTF8.self), path: path)
    }

    /// The bytes written in `text` (the `.hex` format above).
    /// - Throws: `FormatError` naming the first token that is not a hex byte.
    public static func parseHex(_ text: String, path: String = "<text>") throws -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.prefix { $0 != "#" }
            for token in content.split(whereSeparator: \.isWhitespace) {
                guard token.count == 2, let byte = UInt8(token, radix: 16) else {
                    throw FormatError(path: path, line: index + 1, token: String(token))
                }
                bytes.append(byte)
            }
        }
        return bytes
    }

    /// The regular files directly in `directory`, sorted by name (hidden files skipped).
    /// - Throws: when the directory cannot be listed.
    public static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }
            .sorted()
            .map { directory + "/" + $0 }
    }
}
