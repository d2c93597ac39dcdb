/// The parameters read from an Argon2 PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
///
/// Parsing is strict: the variant must be `argon2id`, the fields must come in libargon2's order,
/// numbers are plain decimal without sign or leading zeros, and salt and hash are unpadded
/// standard base64. A string without `v=` (Argon2 version 0x10) parses with `version == 16`.
public struct Argon2EncodedHash: Sendable, Hashable {
    /// The Argon2 version (19 for 0x13, the current one).
    public let version: Int
    /// Memory in KiB.
    public let memoryKiB: Int
    /// Iterations.
    public let iterations: Int
    /// Parallelism (lanes).
    public let parallelism: Int
    /// Salt length in bytes.
    public let saltLength: Int
    /// Hash length in bytes.
    public let hashLength: Int

    /// Parses a PHC string.
    /// - Parameter encoded: The stored string.
    /// - Returns: `nil` when the string is not a well-formed Argon2id PHC string.
    public init?(parsing encoded: String) {
        let fields = encoded.utf8.split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard encoded.utf8.first == UInt8(ascii: "$"), fields.count == 5 || fields.count == 6 else { return nil }
        guard String(decoding: fields[1], as: UTF8.self) == "argon2id" else { return nil }
        var index = 2
        if fields.count == 6 {
            guard let version = Self.keyed("v", fields[2]) else { return nil }
            self.version = version
            index = 3
        } else {
            self.version = 0x10
        }
        let costs = fields[index].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard costs.count == 3,
              let m = Self.keyed("m", costs[0]),
              let t = Self.keyed("t", costs[1]),
              let p = Self.keyed("p", costs[2]),
              let saltLength = Self.base64DecodedLength(fields[index + 1]),
              let hashLength = Self.base64DecodedLength(fields[index + 2])
        else { return nil }
        self.memoryKiB = m
        self.iterations = t
        self.parallelism = p
        self.saltLength = saltLength
        self.hashLength = hashLength
    }

    /// Whether every cost and length is at most the limit's.
    func isWithin(_ limits: Argon2idHasher.Parameters) -> Bool {
        memoryKiB <= limits.memoryKiB && iterations <= limits.iterations
            && parallelism <= limits.parallelism && saltLength <= limits.saltLength
            && hashLength <= limits.hashLength
    }

    /// Reads `key=decimal` where decimal fits in UInt32.
    private static func keyed(_ key: String, _ field: Substring.UTF8View.SubSequence) -> Int? {
        let text = String(decoding: field, as: UTF8.self)
        guard text.hasPrefix(key + "=") else { return nil }
        let digits = text.utf8.dropFirst(key.utf8.count + 1)
        guard !digits.isEmpty, digits.count <= 10,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              digits.count == 1 || digits.first != UInt8(ascii: "0"),
              let value = UInt32(String(decoding: digits, as: UTF8.self))
        else { return nil }
        return Int(value)
    }

    /// The decoded length of unpadded standard base64, or nil if it is not valid base64.
    private static func base64DecodedLength(_ field: Substring.UTF8View.SubSequence) -> Int? {
        guard !field.isEmpty, field.count % 4 != 1 else { return nil }
        let valid = field.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
        }
        return valid ? field.count * 3 / 4 : nil
    }
}
