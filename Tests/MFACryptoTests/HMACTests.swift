import Testing
@testable import MFACrypto

@Suite("HMAC")
struct HMACTests {
    // RFC 4231 test case 1.
    @Test func rfc4231Case1SHA256() {
        let code = HMACSHA256.authenticationCode(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(hex(code) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    // RFC 4231 test case 2 (key shorter than the output).
    @Test func rfc4231Case2SHA256() {
        let code = HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(hex(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    // RFC 4231 test case 6 (key longer than the block size: hashed first).
    @Test func rfc4231Case6SHA256() {
        let code = HMACSHA256.authenticationCode(
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        )
        #expect(hex(code) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    // RFC 4231 test case 1, HMAC-SHA-512.
    @Test func rfc4231Case1SHA512() {
        let code = HMAC.authenticationCode(.sha512, key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(code.count == 64)
        #expect(hex(code) == "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854")
    }

    // RFC 2202 test case 1, HMAC-SHA-1.
    @Test func rfc2202Case1SHA1() {
        let code = HMAC.authenticationCode(.sha1, key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(code.count == 20)
        #expect(hex(code) == "b617318655057264e28bc0b6fb378c8ef146be00")
    }

    @Test func emptyKeyAndEmptyMessage() {
        let code = HMACSHA256.authenticationCode(key: [], message: [UInt8]())
        #expect(hex(code) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func nonContiguousMessageGivesSameCodeAsArray() {
        let message = Array("what do ya want for nothing?".utf8)
        let viaUTF8View = HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: "what do ya want for nothing?".utf8)
        let viaReversedTwice = HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: message.reversed().reversed())
        let viaSlice = HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: ([0] + message)[1...])
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        #expect(hex(viaUTF8View) == expected)
        #expect(hex(viaReversedTwice) == expected)
        #expect(hex(viaSlice) == expected)
    }

    @Test(arguments: HashAlgorithm.allCases)
    func outputLengthMatchesDigest(algorithm: HashAlgorithm) {
        #expect(HMAC.authenticationCode(algorithm, key: [1, 2, 3], message: [4, 5, 6]).count == algorithm.digestByteCount)
    }
}
