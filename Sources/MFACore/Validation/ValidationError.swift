/// An input that breaks a rule: which field, which rule, and a message for the user that names
/// the rule (never the rejected value, which may be a password).
///
/// A struct over a private code so that rules can be added without breaking callers; compare
/// with the static members (`error == .passwordTooShort(minimum: 8)`).
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field that was rejected.
    public enum Field: String, Sendable, Hashable {
        case password
        case email
        case phone
        case plan
        case workspace
    }

    private enum Rule: Hashable, Sendable {
        case tooShort(Int)
        case tooLong(Int)
        case empty
        case forbiddenCharacter
        case notExactlyOneAt
        case emptyLocalPart
        case localPartTooLong(Int)
        case invalidDomain
        case notASCII
        case invalidLocalPart
        case notE164
    }

    /// The field that was rejected.
    public let field: Field
    private let rule: Rule
    /// A sentence for the user naming the rule, e.g. "The password must be at least 8 characters long."
    public let message: String

    private init(_ field: Field, _ rule: Rule, _ message: String) {
        self.field = field
        self.rule = rule
        self.message = message
    }

    /// Errors are equal when field and rule are (the message follows from them).
    public static func == (lhs: ValidationError, rhs: ValidationError) -> Bool {
        lhs.field == rhs.field && lhs.rule == rhs.rule
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(field)
        hasher.combine(rule)
    }

    public var description: String { "invalid \(field.rawValue): \(message)" }

    /// The password has fewer than `minimum` characters.
    public static func passwordTooShort(minimum: Int) -> ValidationError {
        ValidationError(.password, .tooShort(minimum), "The password must be at least \(minimum) characters long.")
    }

    /// The password has more than `maximum` characters.
    public static func passwordTooLong(maximum: Int) -> ValidationError {
        ValidationError(.password, .tooLong(maximum), "The password must be at most \(maximum) characters long.")
    }

    /// The email address is empty after trimming.
    public static let emailEmpty = ValidationError(.email, .empty, "The email address is empty.")

    /// The email address is longer than `maximum` bytes.
    public static func emailTooLong(maximum: Int) -> ValidationError {
        ValidationError(.email, .tooLong(maximum), "The email address must be at most \(maximum) bytes long.")
    }

    /// The email address contains whitespace or control characters.
    public static let emailForbiddenCharacter = ValidationError(
        .email, .forbiddenCharacter, "The email address must not contain spaces or control characters."
    )

    /// The email address does not contain exactly one `@`.
    public static let emailNotExactlyOneAt = ValidationError(
        .email, .notExactlyOneAt, "The email address must contain exactly one @."
    )

    /// Nothing before the `@`.
    public static let emailEmptyLocalPart = ValidationError(
        .email, .emptyLocalPart, "The email address needs a name before the @."
    )

    /// The part before the `@` is longer than `maximum` bytes.
    public static func emailLocalPartTooLong(maximum: Int) -> ValidationError {
        ValidationError(.email, .localPartTooLong(maximum), "The part of the email address before the @ must be at most \(maximum) bytes long.")
    }

    /// The part before the `@` is not a dot-atom (a quoted local part, `<`, `,`, `;`, a dot
    /// first, last or doubled, ...).
    public static let emailInvalidLocalPart = ValidationError(
        .email, .invalidLocalPart,
        "The part of the email address before the @ may only contain letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~, with single dots between them."
    )

    /// The address holds a character outside ASCII (the mailer cannot send to it).
    public static let emailNotASCII = ValidationError(
        .email, .notASCII,
        "The email address must use ASCII characters only; write an international domain in its xn-- form."
    )

    /// The domain has no dot, an empty label, a label over 63 bytes, a character other than a
    /// letter, digit or inner hyphen, or an all-digit last label.
    public static let emailInvalidDomain = ValidationError(
        .email, .invalidDomain, "The email address needs a domain such as example.com after the @."
    )

    /// The phone number is not E.164.
    public static let phoneNotE164 = ValidationError(
        .phone, .notE164, "The phone number must be in international format: + then the country code and number, 8 to 15 digits."
    )

    /// An empty plan or workspace name.
    public static func identifierEmpty(_ field: Field) -> ValidationError {
        ValidationError(field, .empty, "The \(field.rawValue) name must not be empty.")
    }

    /// A plan or workspace name over `maximum` characters.
    public static func identifierTooLong(_ field: Field, maximum: Int) -> ValidationError {
        ValidationError(field, .tooLong(maximum), "The \(field.rawValue) name must be at most \(maximum) characters long.")
    }

    /// A plan or workspace name with a character outside `[a-z0-9._-]`.
    public static func identifierForbiddenCharacter(_ field: Field) -> ValidationError {
        ValidationError(field, .forbiddenCharacter, "The \(field.rawValue) name may only contain lower-case letters a-z, digits, '.', '_' and '-'.")
    }
}
