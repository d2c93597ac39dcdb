import MFACtlSupport
import Testing

@Suite("Error line")
struct ErrorLineTests {
    @Test("server errors show the short code, the message and the numbers that are set")
    func serverErrors() {
        #expect(ErrorLine.format(codeName: "ERROR_CODE_INVALID_CODE", message: "Wrong code.", attemptsRemaining: 2)
            == "error: INVALID_CODE: Wrong code. (2 attempts remaining)")
        #expect(ErrorLine.format(codeName: "ERROR_CODE_INVALID_CODE", message: "Wrong code.", attemptsRemaining: 1)
            == "error: INVALID_CODE: Wrong code. (1 attempt remaining)")
        #expect(ErrorLine.format(codeName: "ERROR_CODE_LOCKED", message: "Locked.", retryAfterSeconds: 300)
            == "error: LOCKED: Locked. (retry after 300 s)")
        #expect(ErrorLine.format(codeName: "ERROR_CODE_RATE_LIMITED", message: "Slow down.", attemptsRemaining: 3, retryAfterSeconds: 60)
            == "error: RATE_LIMITED: Slow down. (3 attempts remaining, retry after 60 s)")
    }

    @Test("other failures show the message only, on one line, escaped")
    func otherErrors() {
        #expect(ErrorLine.format(codeName: nil, message: "could not connect: refused") == "error: could not connect: refused")
        #expect(ErrorLine.format(codeName: nil, message: "a\nb\u{1B}") == "error: a b\\u{1B}")
        #expect(ErrorLine.shortCodeName("ERROR_CODE_") == "ERROR_CODE_")
        #expect(ErrorLine.shortCodeName("LOCKED") == "LOCKED")
    }
}
