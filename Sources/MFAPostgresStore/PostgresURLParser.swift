/// The parser behind ``PostgresLocation/init(url:)``. Errors name the part that is wrong, never
/// its value when that value could be a password.
enum PostgresURLParser {
    static let defaultPort = 5432

    static func parse(_ url: String) throws -> PostgresLocation {
        let rest: Substring
        if let range = url.range(of: "://") , ["postgres", "postgresql"].contains(url[..<range.lowerBound].lowercased()) {
            rest = url[range.upperBound...]
        } else {
            throw invalid("it must start with postgres:// or postgresql://")
        }
        let (beforeQuery, query) = split(rest, at: "?")
        let (authority, path) = split(beforeQuery, at: "/")
        guard let path else { throw invalid("no database name (add /database after the host)") }
        let database = try decode(path, part: "database name")
        guard !database.isEmpty else { throw invalid("no database name (add /database after the host)") }

        var userInfo: Substring = ""
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
        }
        let (userPart, passwordPart) = split(userInfo, at: ":")
        let username = try decode(userPart, part: "user name")
        guard !username.isEmpty else { throw invalid("no user name (postgres://user@host/database)") }
        let password = try passwordPart.map { try decode($0, part: "password") }

        var (host, port) = try hostAndPort(hostPort)
        var sslMode = "disable"
        var rootCertificate: String?
        for parameter in (query ?? "").split(separator: "&") {
            let (key, value) = split(parameter, at: "=")
            let decoded = try decode(value ?? "", part: "query parameter \(key)")
            switch key {
            case "host": host = decoded
            case "port": port = try portNumber(decoded)
            case "sslmode":
                switch decoded {
                case "disable", "require", "verify-ca", "verify-full": sslMode = decoded
                default:
                    throw invalid("sslmode=\(decoded) is not supported: use disable, require, verify-ca or verify-full (prefer and allow could fall back to plain text)")
                }
            case "sslrootcert": rootCertificate = decoded
            default:
                throw invalid("unknown query parameter '\(key)' (known: host, port, sslmode, sslrootcert)")
            }
        }
        guard let host, !host.isEmpty else { throw invalid("no host (give host[:port] or ?host=/socket/directory)") }
        let endpoint: PostgresLocation.Endpoint = host.hasPrefix("/")
            ? .unixSocket(directory: host, port: port ?? defaultPort)
            : .tcp(host: host, port: port ?? defaultPort)
        let tls: PostgresLocation.TLSMode
        switch sslMode {
        case "require":
            guard rootCertificate == nil else { throw invalid("sslrootcert needs sslmode=verify-ca or verify-full (require checks no certificate)") }
            tls = .require
        case "verify-ca": tls = .verifyCA(rootCertificate: rootCertificate)
        case "verify-full": tls = .verifyFull(rootCertificate: rootCertificate)
        default:
            guard rootCertificate == nil else { throw invalid("sslrootcert needs sslmode=verify-ca or verify-full") }
            tls = .disable
        }
        return PostgresLocation(endpoint: endpoint, username: username, password: password, database: database, tls: tls)
    }

    private static func hostAndPort(_ text: Substring) throws -> (String?, Int?) {
        if text.isEmpty { return (nil, nil) }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid("an IPv6 host needs a closing ]") }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw invalid("unexpected text after the IPv6 host") }
            return (host, try portNumber(String(after.dropFirst())))
        }
        let (host, port) = split(text, at: ":")
        return (try decode(host, part: "host"), try port.map { try portNumber(String($0)) })
    }

    private static func portNumber(_ text: String) throws -> Int {
        guard let port = Int(text), (1...65_535).contains(port) else {
            throw invalid("the port '\(text)' is not a number from 1 to 65535")
        }
        return port
    }

    /// Splits at the first `separator`: the part before, and the part after (nil when absent).
    private static func split(_ text: Substring, at separator: Character) -> (Substring, Substring?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<index], text[text.index(after: index)...])
    }

    /// Percent-decodes `text` as UTF-8.
    static func decode(_ text: Substring, part: String) throws -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw invalid("the \(part) has a % not followed by two hex digits")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw invalid("the \(part) is not UTF-8 once percent-decoded")
        }
        return decoded
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986).
    static func encode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || "-._~".unicodeScalars.contains(scalar) {
                encoded.unicodeScalars.append(scalar)
            } else {
                let hex = Array("0123456789ABCDEF")
                encoded += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0xF)])"
            }
        }
        return encoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func invalid(_ reason: String) -> PostgresStoreError {
        .invalidURL(reason: reason)
    }
}
