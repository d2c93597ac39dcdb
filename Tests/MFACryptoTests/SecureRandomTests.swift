import Testing
@testable import MFACrypto

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test func returnsRequestedCount() throws {
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
        #expect(try SecureRandom.bytes(count: 1).count == 1)
        #expect(try SecureRandom.bytes(count: 32).count == 32)
    }

    @Test func twoDrawsDiffer() throws {
        // 2^-256 chance of a false failure.
        #expect(try SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
    }

    @Test func negativeCountIsATypedError() {
        #expect(throws: CryptoError.invalidArgument("")) {
            _ = try SecureRandom.bytes(count: -1)
        }
    }
}
