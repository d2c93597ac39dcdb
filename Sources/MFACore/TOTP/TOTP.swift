import MFACrypto

/// Time-based one-time passwords (RFC 6238) for authenticator apps: codes, time steps, and
/// verification with skew and replay protection (SPEC 2.2).
///
/// The time step is `floor(unixSeconds / period)` (T0 = 0). Verification accepts the steps
/// `now - skew ... now + skew`, never a step at or before the last one accepted for the account,
/// and returns the step it matched so that the caller can store it as the new last used step
/// (in the same transaction that accepts the login).
public struct TOTP: Sendable, Hashable {
    /// Bytes in a new secret: 20 (160 bits, RFC 4226's recommendation and SPEC 2.2).
    public static let secretByteCount = 20

    /// Typed inputs longer than this many UTF-8 bytes are rejected unread.
    public static let maximumInputBytes = 64

    /// The algorithm, digits, period and skew.
    public let parameters: TOTPParameters

    /// Creates a TOTP calculator.
    /// - Parameter parameters: Checked parameters; default ``TOTPParameters/standard``.
    public init(parameters: TOTPParameters = .standard) {
        self.parameters = parameters
    }

    /// Draws a new shared secret of ``secretByteCount`` (20) bytes.
    /// - Parameter random: The random source (``SystemRandomSource`` in production).
    /// - Returns: 20 random bytes; show them to the user with ``Base32/encode(_:)`` (32 characters).
    public static func generateSecret(using random: some RandomSource) -> [UInt8] {
        random.bytes(secretByteCount)
    }

    /// The time step containing `time`: `floor(unixSeconds / period)`.
    /// - Parameter time: The time.
    /// - Returns: The step (negative only before 1970).
    public func step(at time: Timestamp) -> Int64 {
        let quotient = time.unixSeconds / parameters.period
        return time.unixSeconds % parameters.period < 0 ? quotient - 1 : quotient
    }

    /// The code for a time step.
    ///
    /// - Parameters:
    ///   - secret: The shared secret.
    ///   - step: The time step (RFC 6238's T), used as the HOTP counter; negative steps are
    ///     taken as their two's-complement bit pattern (they never verify).
    /// - Returns: ``TOTPParameters/digits`` ASCII digits, zero-padded, e.g. `"094287"`.
    public func code(secret: [UInt8], step: Int64) -> String {
        HOTP.code(secret: secret, counter: UInt64(bitPattern: step), digits: parameters.digits, algorithm: parameters.algorithm)
    }

    /// The code for the step containing `time`.
    /// - Parameters:
    ///   - secret: The shared secret.
    ///   - time: The time.
    /// - Returns: The code, as ``code(secret:step:)``.
    public func code(secret: [UInt8], at time: Timestamp) -> String {
        code(secret: secret, step: step(at: time))
    }

    /// The canonical form of a typed code: all Unicode whitespace removed (apps show
    /// `123 456`); what remains must be exactly ``TOTPParameters/digits`` ASCII digits.
    /// - Parameter input: What the user typed.
    /// - Returns: The digits, or `nil` when the input cannot be a code of this length.
    public func normalize(_ input: String) -> String? {
        guard input.utf8.count <= Self.maximumInputBytes else { return nil }
        var digits = [UInt8]()
        for scalar in input.unicodeScalars {
            if scalar.properties.isWhitespace { continue }
            guard ("0"..."9").contains(scalar) else { return nil }
            digits.append(UInt8(scalar.value))
        }
        return digits.count == parameters.digits ? String(decoding: digits, as: UTF8.self) : nil
    }

    /// Checks a typed code against the steps around `now`.
    ///
    /// Every candidate step from `now - skew` to `now + skew` is computed and compared with
    /// ``MFACrypto/ConstantTime/equals(_:_:)``, whatever matched before and whatever
    /// `lastUsedStep` is, so the time taken does not reveal which step matched or whether the
    /// code was a replay. A step is accepted only when it is not negative and later than
    /// `lastUsedStep`. If codes of two acceptable steps are equal (a one-in-a-million
    /// coincidence), the later step is returned, which blocks both from being replayed.
    ///
    /// A replayed code gives `nil`, exactly like a wrong one (SPEC 2.3); a malformed input or an
    /// empty secret gives `nil` too. The caller counts every `nil` as a wrong attempt.
    ///
    /// - Parameters:
    ///   - code: What the user typed (spaces allowed).
    ///   - secret: The account's shared secret.
    ///   - now: The current time.
    ///   - lastUsedStep: The step of the last code accepted for this account, or `nil` if none.
    /// - Returns: The matched time step (store it as the new `lastUsedStep`), or `nil`.
    public func verify(code: String, secret: [UInt8], now: Timestamp, lastUsedStep: Int64?) -> Int64? {
        guard !secret.isEmpty, let typed = normalize(code) else { return nil }
        let typedBytes = Array(typed.utf8)
        let current = step(at: now)
        let floor = lastUsedStep ?? -1
        var matched: Int64?
        for offset in -parameters.skewSteps...parameters.skewSteps {
            let (candidate, overflow) = current.addingReportingOverflow(Int64(offset))
            let expected = Array(self.code(secret: secret, step: overflow ? 0 : candidate).utf8)
            let equal = ConstantTime.equals(expected, typedBytes)
            let acceptable = !overflow && candidate >= 0 && candidate > floor
            if equal && acceptable {
                matched = candidate
            }
        }
        return matched
    }
}
