import MFACrypto

/// The parameters of a TOTP authenticator (RFC 6238): HMAC algorithm, code length, period, and
/// how many steps of clock skew are accepted either side of now.
///
/// Valid by construction: the initializer checks every value, so a `TOTPParameters` in hand
/// can always compute and verify codes. New enrolments use ``standard`` (SHA-1, 6 digits, 30 s):
/// most authenticator apps ignore other values in the `otpauth://` URI (SPEC 2.2).
public struct TOTPParameters: Sendable, Hashable {
    /// The accepted code lengths.
    public static let allowedDigits: Set<Int> = [6, 8]
    /// The accepted periods in seconds (RFC 6238 recommends 30).
    public static let allowedPeriods: ClosedRange<Int64> = 10...300
    /// The accepted skew, in steps either side of the current one.
    public static let allowedSkewSteps: ClosedRange<Int> = 0...10

    /// SHA-1, 6 digits, 30 s, ±1 step: RFC 6238's defaults and what every app understands.
    public static let standard = TOTPParameters(uncheckedAlgorithm: .sha1, digits: 6, period: 30, skewSteps: 1)

    /// The HMAC algorithm (SHA1 by default).
    public let algorithm: HashAlgorithm
    /// Digits in a code: 6 or 8.
    public let digits: Int
    /// Seconds per time step (30 by default).
    public let period: Int64
    /// Steps accepted before and after the current one (1: a code from the previous or next
    /// 30 s window is accepted too, for clock drift and typing time).
    public let skewSteps: Int

    /// Creates checked parameters.
    /// - Parameters:
    ///   - algorithm: The HMAC algorithm; default SHA-1.
    ///   - digits: 6 or 8; default 6.
    ///   - period: Seconds per step, in ``allowedPeriods``; default 30.
    ///   - skewSteps: Steps of skew either side, in ``allowedSkewSteps``; default 1.
    /// - Throws: ``ConfigurationError`` naming the first value out of range.
    public init(
        algorithm: HashAlgorithm = .sha1,
        digits: Int = 6,
        period: Int64 = 30,
        skewSteps: Int = 1
    ) throws(ConfigurationError) {
        guard Self.allowedDigits.contains(digits) else {
            throw ConfigurationError(setting: "totp.digits", problem: "must be 6 or 8, got \(digits)")
        }
        guard Self.allowedPeriods.contains(period) else {
            throw ConfigurationError(
                setting: "totp.period",
                problem: "must be \(Self.allowedPeriods.lowerBound)...\(Self.allowedPeriods.upperBound) seconds, got \(period)"
            )
        }
        guard Self.allowedSkewSteps.contains(skewSteps) else {
            throw ConfigurationError(
                setting: "totp.skewSteps",
                problem: "must be \(Self.allowedSkewSteps.lowerBound)...\(Self.allowedSkewSteps.upperBound), got \(skewSteps)"
            )
        }
        self.init(uncheckedAlgorithm: algorithm, digits: digits, period: period, skewSteps: skewSteps)
    }

    private init(uncheckedAlgorithm algorithm: HashAlgorithm, digits: Int, period: Int64, skewSteps: Int) {
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
        self.skewSteps = skewSteps
    }
}
