/// Writes the text of the messages mfad sends. Codes and links go only into message bodies;
/// security notices carry no secret at all.
public struct MessageComposer: Sendable {
    /// The product name shown in messages.
    public var productName: String
    /// Prefix of the authentication link; the link token is appended (`--link-base-url`).
    public var linkBaseURL: String
    /// Prefix of the invitation link; the invitation token is appended (`--invite-base-url`).
    public var inviteBaseURL: String

    /// - Parameters:
    ///   - productName: shown in subjects and bodies.
    ///   - linkBaseURL: the link token is appended to it.
    ///   - inviteBaseURL: the invitation token is appended to it.
    public init(productName: String = "mfad", linkBaseURL: String = "http://127.0.0.1:8080/verify-link?token=",
                inviteBaseURL: String = "http://127.0.0.1:8080/accept-invite?token=") {
        self.productName = productName
        self.linkBaseURL = linkBaseURL
        self.inviteBaseURL = inviteBaseURL
    }

    /// A message's subject and plain-text body.
    public typealias Text = (subject: String, body: String)

    /// The email of a login code and its link (SPEC 2.1, 5).
    public func loginCodeEmail(code: String, linkToken: String, validitySeconds: Int64) -> Text {
        let minutes = Durations.minutesRoundedUp(validitySeconds)
        return ("Your \(productName) sign-in code", """
            Your sign-in code is: \(code)

            Or sign in with this link:
            \(linkBaseURL)\(linkToken)

            The code and the link are valid for \(minutes) minutes and can be used once.
            If you did not try to sign in, change your password.
            """)
    }

    /// The code that verifies a new account's email address or phone (SPEC 3).
    public func contactCode(_ code: String, channel: ContactChannel, validitySeconds: Int64) -> Text {
        let minutes = Durations.minutesRoundedUp(validitySeconds)
        switch channel {
        case .email:
            return ("Confirm your email address for \(productName)", """
                Your confirmation code is: \(code)

                It is valid for \(minutes) minutes. If you did not sign up, ignore this email.
                """)
        case .sms:
            return ("", "Your \(productName) confirmation code is \(code). Valid for \(minutes) minutes.")
        }
    }

    /// An invitation into a workspace.
    public func invitationEmail(token: String, workspace: String, inviterEmail: String, validitySeconds: Int64) -> Text {
        let days = max(1, validitySeconds / Durations.day)
        return ("You are invited to \(workspace) on \(productName)", """
            \(inviterEmail) invited you to the workspace \(workspace).

            Accept the invitation and choose your password here:
            \(inviteBaseURL)\(token)

            The link is valid for \(days) days and can be used once.
            """)
    }

    /// The security notices of SPEC 3.
    public enum Notice: Sendable {
        case totpEnabled
        case totpDisabled
        case deviceTrusted(label: String)
        case passwordChanged
        case accountLocked(untilSupport: Bool)
    }

    /// The email of a security notice.
    public func notice(_ notice: Notice) -> Text {
        let closing = "If this was not you, contact support right away."
        switch notice {
        case .totpEnabled:
            return ("Authenticator app enabled on your \(productName) account",
                    "An authenticator app (TOTP) was enabled on your account. \(closing)")
        case .totpDisabled:
            return ("Authenticator app removed from your \(productName) account",
                    "The authenticator app (TOTP) was removed from your account. \(closing)")
        case .deviceTrusted(let label):
            let name = label.isEmpty ? "A device" : "The device \"\(label)\""
            return ("New trusted device on your \(productName) account",
                    "\(name) was trusted: it can sign in without a code for a while. \(closing)")
        case .passwordChanged:
            return ("Your \(productName) password was changed",
                    "Your password was changed. Trusted devices and other sessions were signed out. \(closing)")
        case .accountLocked(let untilSupport):
            let how = untilSupport ? "until support unlocks it" : "for a few minutes"
            return ("Your \(productName) account was locked",
                    "Too many wrong codes were entered, so signing in with a code is locked \(how). \(closing)")
        }
    }
}
