import Testing
@testable import MFACrypto

@Suite("ConstantTime")
struct ConstantTimeTests {
    @Test func equalArrays() {
        #expect(ConstantTime.equals([1, 2, 3, 4], [1, 2, 3, 4]))
    }

    @Test func differentContent() {
        #expect(!ConstantTime.equals([1, 2, 3, 4], [1, 2, 3, 5]))
        #expect(!ConstantTime.equals([0, 2, 3, 4], [1, 2, 3, 4]))
    }

    @Test func differentLengths() {
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 3, 4]))
        #expect(!ConstantTime.equals([1, 2, 3, 4], [1, 2, 3]))
        #expect(!ConstantTime.equals([], [0]))
    }

    @Test func emptyArraysAreEqual() {
        #expect(ConstantTime.equals([], []))
    }
}
