import Testing
@testable import MFACrypto

@Suite("AES-256-GCM")
struct AESGCMTests {
    /// The AES-256 known answers of the GCM specification (McGrew and Viega, test cases 13-16).
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: String
        let nonce: String
        let plaintext: String
        let associatedData: String
        let ciphertext: String
        let tag: String
        var testDescription: String { name }
    }

    static let gcmKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let gcmPlaintext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
    static let gcmCiphertext = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"

    static let vectors: [Vector] = [
        Vector(name: "test case 13 (empty)", key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
               plaintext: "", associatedData: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        Vector(name: "test case 14 (one block)", key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
               plaintext: String(repeating: "00", count: 16), associatedData: "",
               ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        Vector(name: "test case 15 (four blocks)", key: gcmKey, nonce: "cafebabefacedbaddecaf888",
               plaintext: gcmPlaintext + "1aafd255", associatedData: "",
               ciphertext: gcmCiphertext + "898015ad", tag: "b094dac5d93471bdec1a502270e3cc6c"),
        Vector(name: "test case 16 (partial block, associated data)", key: gcmKey, nonce: "cafebabefacedbaddecaf888",
               plaintext: gcmPlaintext, associatedData: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
               ciphertext: gcmCiphertext, tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    @Test(arguments: vectors)
    func knownAnswer(_ vector: Vector) throws {
        let box = try AESGCM.seal(
            bytes(hex: vector.plaintext),
            key: bytes(hex: vector.key),
            nonce: bytes(hex: vector.nonce),
            associatedData: bytes(hex: vector.associatedData)
        )
        #expect(hex(box.ciphertext) == vector.ciphertext)
        #expect(hex(box.tag) == vector.tag)
        #expect(hex(box.nonce) == vector.nonce)
        let opened = try AESGCM.open(box, key: bytes(hex: vector.key), associatedData: bytes(hex: vector.associatedData))
        #expect(hex(opened) == vector.plaintext)
    }

    @Test func roundTripWithRandomNonce() throws {
        let key = try SecureRandom.bytes(count: 32)
        let plaintext = Array("twenty byte secret!!".utf8)
        let first = try AESGCM.seal(plaintext, key: key, associatedData: [1, 2, 3])
        let second = try AESGCM.seal(plaintext, key: key, associatedData: [1, 2, 3])
        #expect(first.nonce.count == 12)
        #expect(first.tag.count == 16)
        #expect(first.ciphertext.count == plaintext.count)
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
        #expect(try AESGCM.open(first, key: key, associatedData: [1, 2, 3]) == plaintext)
        #expect(try AESGCM.open(second, key: key, associatedData: [1, 2, 3]) == plaintext)
    }

    @Test func wrongKeyOrAssociatedDataFails() throws {
        let key = [UInt8](repeating: 7, count: 32)
        let box = try AESGCM.seal([1, 2, 3], key: key, associatedData: [9])
        var otherKey = key
        otherKey[31] ^= 1
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: otherKey, associatedData: [9]) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: key, associatedData: [8]) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: key) }
    }

    @Test func alteredTagFails() throws {
        let key = [UInt8](repeating: 7, count: 32)
        var box = try AESGCM.seal([], key: key)
        box.tag[0] ^= 0x80
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: key) }
    }

    @Test func lengthsAreChecked() throws {
        let key = [UInt8](repeating: 7, count: 32)
        #expect(throws: CryptoError.invalidArgument("")) { try AESGCM.seal([1], key: Array(key.prefix(16))) }
        #expect(throws: CryptoError.invalidArgument("")) {
            try AESGCM.seal([1], key: key, nonce: [UInt8](repeating: 0, count: 16), associatedData: [])
        }
        let box = try AESGCM.seal([1], key: key)
        var shortTag = box
        shortTag.tag.removeLast()
        #expect(throws: CryptoError.invalidArgument("")) { try AESGCM.open(shortTag, key: key) }
        var shortNonce = box
        shortNonce.nonce.removeLast()
        #expect(throws: CryptoError.invalidArgument("")) { try AESGCM.open(shortNonce, key: key) }
    }
}

@Suite("SecretBox")
struct SecretBoxTests {
    let key1 = [UInt8](repeating: 0x11, count: 32)
    let key2 = [UInt8](repeating: 0x22, count: 32)
    let secret = Array("12345678901234567890".utf8)

    @Test func roundTripAndLayout() throws {
        let sealed = try SecretBox.seal(secret, key: key1, keyID: 0x0102_0304, associatedData: Array("account-1".utf8))
        #expect(sealed.count == secret.count + 33)
        #expect(Array(sealed[0..<5]) == [1, 1, 2, 3, 4])
        #expect(try SecretBox.keyID(of: sealed) == 0x0102_0304)
        let opened = try SecretBox.open(sealed, keys: [0x0102_0304: key1], associatedData: Array("account-1".utf8))
        #expect(opened == secret)
    }

    @Test func knownAnswerLayout() throws {
        // Test case 16's key, nonce and plaintext; the associated data is the header + the vector's.
        let sealed = try SecretBox.seal(
            bytes(hex: AESGCMTests.gcmPlaintext), key: bytes(hex: AESGCMTests.gcmKey), keyID: 7,
            nonce: bytes(hex: "cafebabefacedbaddecaf888"), associatedData: [])
        #expect(hex(Array(sealed[0..<17])) == "0100000007cafebabefacedbaddecaf888")
        #expect(hex(Array(sealed[17..<(sealed.count - 16)])) == AESGCMTests.gcmCiphertext)
        let box = try AESGCM.seal(
            bytes(hex: AESGCMTests.gcmPlaintext), key: bytes(hex: AESGCMTests.gcmKey),
            nonce: bytes(hex: "cafebabefacedbaddecaf888"), associatedData: [1, 0, 0, 0, 7])
        #expect(Array(sealed.suffix(16)) == box.tag)
    }

    @Test func keysRotate() throws {
        let old = try SecretBox.seal(secret, key: key1, keyID: 1)
        let new = try SecretBox.seal(secret, key: key2, keyID: 2)
        let keys: [UInt32: [UInt8]] = [1: key1, 2: key2]
        #expect(try SecretBox.open(old, keys: keys) == secret)
        #expect(try SecretBox.open(new, keys: keys) == secret)
        #expect(throws: CryptoError.unknownKeyID(1)) { try SecretBox.open(old, keys: [2: key2]) }
    }

    @Test func wrongKeyUnderTheRecordedIDFails() throws {
        let sealed = try SecretBox.seal(secret, key: key1, keyID: 1)
        #expect(throws: CryptoError.authenticationFailed) { try SecretBox.open(sealed, keys: [1: key2]) }
    }

    @Test func wrongAssociatedDataFails() throws {
        let sealed = try SecretBox.seal(secret, key: key1, keyID: 1, associatedData: Array("account-1".utf8))
        #expect(throws: CryptoError.authenticationFailed) {
            try SecretBox.open(sealed, keys: [1: key1], associatedData: Array("account-2".utf8))
        }
        #expect(throws: CryptoError.authenticationFailed) { try SecretBox.open(sealed, keys: [1: key1]) }
    }

    @Test func tamperingWithAnyByteFails() throws {
        let sealed = try SecretBox.seal(secret, key: key1, keyID: 1, associatedData: [42])
        // The same key under both ids: a changed key id must still fail (the header is authenticated).
        let keys: [UInt32: [UInt8]] = [1: key1, 0x0100_0001: key1, 3: key1, 0x8000_0001: key1]
        for index in sealed.indices {
            for flip: UInt8 in [0x01, 0x80] {
                var tampered = sealed
                tampered[index] ^= flip
                #expect(throws: CryptoError.self, "byte \(index) flipped by \(flip)") {
                    try SecretBox.open(tampered, keys: keys, associatedData: [42])
                }
            }
        }
        // A changed key id that names a configured key still fails authentication.
        var renamed = sealed
        renamed[4] = 3
        #expect(throws: CryptoError.authenticationFailed) { try SecretBox.open(renamed, keys: keys, associatedData: [42]) }
        var truncated = sealed
        truncated.removeLast()
        #expect(throws: CryptoError.authenticationFailed) { try SecretBox.open(truncated, keys: keys, associatedData: [42]) }
        #expect(throws: CryptoError.authenticationFailed) { try SecretBox.open(sealed + [0], keys: keys, associatedData: [42]) }
    }

    @Test func malformedAndUnknownVersion() throws {
        #expect(throws: CryptoError.malformedSealedData("")) { try SecretBox.open([], keys: [1: key1]) }
        #expect(throws: CryptoError.malformedSealedData("")) {
            try SecretBox.open([UInt8](repeating: 1, count: 32), keys: [1: key1])
        }
        var sealed = try SecretBox.seal(secret, key: key1, keyID: 1)
        sealed[0] = 2
        #expect(throws: CryptoError.unsupportedSealedVersion(2)) { try SecretBox.open(sealed, keys: [1: key1]) }
    }

    @Test func emptyPlaintextIsAllowed() throws {
        let sealed = try SecretBox.seal([], key: key1, keyID: 9)
        #expect(sealed.count == 33)
        #expect(try SecretBox.open(sealed, keys: [9: key1]).isEmpty)
    }

    @Test func badKeyLength() {
        #expect(throws: CryptoError.invalidArgument("")) { try SecretBox.seal(secret, key: [1, 2, 3], keyID: 1) }
    }
}
