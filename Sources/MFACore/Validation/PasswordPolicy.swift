/// Password rules (SPEC 3): at least 8 and at most 256 characters.
///
/// Characters are Unicode code points (as NIST SP 800-63B counts them), so "é" typed as one
/// precomposed character counts 1 and as "e" + combining accent counts 2. Nothing else is
/// required: no composition rules; spaces and any Unicode are allowed.
public struct PasswordPolicy: Sendable, Hashable {
    /// Minimum length in code points (default 8).
    public var minimumLength: Int
    /// Maximum length in code points (default 256; bounds the hashing work per request).
    public var maximumLength: Int

    /// Creates a policy.
    /// - Parameters:
    ///   - minimumLength: Minimum length in code points.
    ///   - maximumLength: Maximum length in code points.
    public init(minimumLength: Int = 8, maximumLength: Int = 256) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
    }

    /// Checks a new password.
    /// - Parameter password: The proposed password.
    /// - Throws: ``ValidationError/passwordTooShort(minimum:)`` or ``ValidationError/passwordTooLong(maximum:)``.
    public func validate(_ password: String) throws(ValidationError) {
        let length = password.unicodeScalars.count
        if length < minimumLength { throw .passwordTooShort(minimum: minimumLength) }
        if length > maximumLength { throw .passwordTooLong(maximum: maximumLength) }
    }
}
