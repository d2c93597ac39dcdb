/// The `otpauth://totp/` key URI that authenticator apps read from a QR code (the Google
/// Authenticator key URI format, which every common app follows).
///
/// ```
/// otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER[&algorithm=SHA256][&digits=8][&period=60]
/// ```
///
/// Issuer and account name are percent-encoded as UTF-8, leaving only RFC 3986's unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) as they are. So `@` becomes `%40`, a space `%20` (never
/// `+`), and a `:` inside the issuer or the account name `%3A`, so that the one literal `:` in
/// the label is the separator. `algorithm`, `digits` and `period` appear only when they differ
/// from SHA1, 6 and 30; the skew is the server's business and never appears.
public enum OTPAuthURI {
    /// Builds the URI for a new authenticator.
    ///
    /// - Parameters:
    ///   - issuer: The service name shown in the app, e.g. `"Example Portal"`. When empty, the
    ///     label is the account name alone and there is no `issuer` parameter.
    ///   - accountName: The account, usually its email address.
    ///   - secret: The shared secret; written as unpadded upper-case base32.
    ///   - parameters: The TOTP parameters; default ``TOTPParameters/standard``.
    /// - Returns: The URI text.
    public static func make(
        issuer: String,
        accountName: String,
        secret: [UInt8],
        parameters: TOTPParameters = .standard
    ) -> String {
        let encodedIssuer = percentEncode(issuer)
        let label = issuer.isEmpty ? percentEncode(accountName) : encodedIssuer + ":" + percentEncode(accountName)
        var query = ["secret=" + Base32.encode(secret)]
        if !issuer.isEmpty {
            query.append("issuer=" + encodedIssuer)
        }
        if parameters.algorithm != TOTPParameters.standard.algorithm {
            query.append("algorithm=" + parameters.algorithm.rawValue)
        }
        if parameters.digits != TOTPParameters.standard.digits {
            query.append("digits=\(parameters.digits)")
        }
        if parameters.period != TOTPParameters.standard.period {
            query.append("period=\(parameters.period)")
        }
        return "otpauth://totp/" + label + "?" + query.joined(separator: "&")
    }

    /// Percent-encodes the UTF-8 bytes of `text`, keeping RFC 3986's unreserved characters.
    /// - Parameter text: Any text.
    /// - Returns: ASCII text with upper-case `%XX` escapes.
    public static func percentEncode(_ text: String) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var output = [UInt8]()
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
