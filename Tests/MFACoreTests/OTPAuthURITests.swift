import Foundation
import Testing
@testable import MFACore

@Suite("otpauth URI")
struct OTPAuthURITests {
    let secret = Array("12345678901234567890".utf8)

    @Test func standardEnrolment() {
        let uri = OTPAuthURI.make(issuer: "Example", accountName: "alice@example.com", secret: secret)
        #expect(uri == "otpauth://totp/Example:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example")
    }

    @Test func nonDefaultParametersAreListed() throws {
        let parameters = try TOTPParameters(algorithm: .sha256, digits: 8, period: 60, skewSteps: 2)
        let uri = OTPAuthURI.make(issuer: "Example", accountName: "bob@example.com", secret: secret, parameters: parameters)
        #expect(uri == "otpauth://totp/Example:bob%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example"
            + "&algorithm=SHA256&digits=8&period=60")
        let onlyDigits = OTPAuthURI.make(issuer: "Example", accountName: "b", secret: secret,
                                         parameters: try TOTPParameters(digits: 8))
        #expect(onlyDigits.hasSuffix("&issuer=Example&digits=8"))
        // Skew is never in the URI.
        let wideSkew = OTPAuthURI.make(issuer: "Example", accountName: "b", secret: secret,
                                       parameters: try TOTPParameters(skewSteps: 3))
        #expect(wideSkew.hasSuffix("&issuer=Example"))
    }

    @Test func reservedCharactersAreEscapedInBothParts() {
        let uri = OTPAuthURI.make(issuer: "ACME: Corp & Co/EU?", accountName: "a+b:c@例え.jp", secret: [0xFF])
        #expect(uri == "otpauth://totp/ACME%3A%20Corp%20%26%20Co%2FEU%3F:a%2Bb%3Ac%40%E4%BE%8B%E3%81%88.jp"
            + "?secret=74&issuer=ACME%3A%20Corp%20%26%20Co%2FEU%3F")
        // Exactly one literal colon in the label: the separator.
        let label = uri.dropFirst("otpauth://totp/".count).prefix { $0 != "?" }
        #expect(label.filter { $0 == ":" }.count == 1)
    }

    @Test func unreservedCharactersStay() {
        #expect(OTPAuthURI.percentEncode("Az09-._~") == "Az09-._~")
        #expect(OTPAuthURI.percentEncode("a b") == "a%20b")
        #expect(OTPAuthURI.percentEncode("%") == "%25")
        #expect(OTPAuthURI.percentEncode("é") == "%C3%A9")
    }

    @Test func emptyIssuerLeavesOnlyTheAccount() {
        let uri = OTPAuthURI.make(issuer: "", accountName: "alice@example.com", secret: secret)
        #expect(uri == "otpauth://totp/alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    }

    @Test func foundationParsesItBack() throws {
        let uri = OTPAuthURI.make(issuer: "Example Portal: EU", accountName: "alice+mfa@example.com", secret: secret)
        let components = try #require(URLComponents(string: uri))
        #expect(components.scheme == "otpauth")
        #expect(components.host == "totp")
        #expect(components.path == "/Example Portal: EU:alice+mfa@example.com")
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items["issuer"] == "Example Portal: EU")
        #expect(items["secret"].flatMap(Base32.decode) == secret)
    }
}
