/// Lower-case hex of bytes, for comparing with published test vectors.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }.joined()
}

/// The bytes of a hex string (test vectors); traps on malformed hex, which is a typo in a test.
func bytes(hex text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    precondition(digits.count % 2 == 0, "odd-length hex in a test vector")
    return stride(from: 0, to: digits.count, by: 2).map { index in
        guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
            preconditionFailure("bad hex in a test vector")
        }
        return byte
    }
}
