/// Writes the text of the messages mfad sends. Codes and links go only into the message body.
public struct MessageComposer: Sendable {
    /// The product name shown in messages.
    public var productName: String
    /// Prefix of the authentication link; the link token is appended (`--link-base-url`).
    public var linkBaseURL: String

    /// - Parameters:
    ///   - productName: shown in subjects and bodies.
    ///   - linkBaseURL: the link token is appended to it.
    public init(productName: String = "mfad", linkBaseURL: String = "http://127.0.0.1:8080/verify-link?token=") {
        self.productName = productName
        self.linkBaseURL = linkBaseURL
    }

    /// The email of a login code and its link (SPEC 2.1, 5).
    public func loginCodeEmail(code: String, linkToken: String, validitySeconds: Int64) -> (subject: String, body: String) {
        let minutes = Durations.minutesRoundedUp(validitySeconds)
        let subject = "Your \(productName) sign-in code"
        let body = """
            Your sign-in code is: \(code)

            Or sign in with this link:
            \(linkBaseURL)\(linkToken)

            The code and the link are valid for \(minutes) minutes and can be used once.
            If you did not try to sign in, change your password.
            """
        return (subject, body)
    }
}
