import MFACore

/// An address for the `From` and `To` headers and the SMTP envelope: an optional display name
/// and the bare address.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The display name, e.g. `Ada Lovelace` or `Zürich Support`; nil for none.
    public var displayName: String?
    /// The bare address, e.g. `ada@example.com`.
    public var address: String

    /// - Parameters:
    ///   - address: The bare address.
    ///   - displayName: The display name, if any.
    /// - Throws: ``DeliveryError/Kind/invalidMessage`` when the address breaks the rule of
    ///   `EmailAddress.validate` (MFACore), the one that accounts and invitations were validated
    ///   with: so every address mfad accepted can be sent, and nothing else is.
    public init(address: String, displayName: String? = nil) throws(DeliveryError) {
        do {
            try EmailAddress.validate(address)
        } catch {
            throw .invalidMessage("an address the mailer cannot send: \(error.message)")
        }
        if let displayName, displayName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalidMessage("a display name holds a control character")
        }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Parses `ada@example.com` or `Ada Lovelace <ada@example.com>` (the name may be quoted).
    /// - Parameter text: The address as configured (`--mail-from`).
    /// - Throws: ``DeliveryError/Kind/invalidConfiguration`` when it is neither form.
    public init(parsing text: String) throws(DeliveryError) {
        let trimmed = text.trimmingSpaces()
        guard let open = trimmed.lastIndex(of: "<") else {
            do {
                try self.init(address: trimmed)
            } catch {
                throw .invalidConfiguration("'\(text)' is not an address (expected name@example.com or Name <name@example.com>)")
            }
            return
        }
        guard trimmed.hasSuffix(">") else {
            throw .invalidConfiguration("'\(text)' is not an address: it has '<' without a final '>'")
        }
        let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        var name = String(trimmed[..<open]).trimmingSpaces()
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast()).replacingBackslashEscapes()
        }
        do {
            try self.init(address: address, displayName: name)
        } catch {
            throw .invalidConfiguration("'\(text)' is not an address: \(error.reason)")
        }
    }

    /// The domain part (after the `@`), e.g. for Message-IDs.
    public var domain: String {
        String(address[address.index(after: address.lastIndex(of: "@")!)...])
    }

    /// The SMTP envelope form, `<ada@example.com>`.
    public var envelope: String { "<\(address)>" }

    /// The header form: the bare address, or the display name (an atom phrase, a quoted string,
    /// or RFC 2047 encoded-words when it is not ASCII) then `<address>`.
    public var headerValue: String {
        guard let displayName else { return address }
        return "\(HeaderEncoding.phrase(displayName)) <\(address)>"
    }

    public var description: String { headerValue }
}

extension String {
    /// Without leading and trailing spaces and tabs (no Foundation needed).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }

    /// `\x` becomes `x` (a quoted-string's quoted-pair).
    fileprivate func replacingBackslashEscapes() -> String {
        var result = ""
        var escaped = false
        for character in self {
            if escaped || character != "\\" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }
}
