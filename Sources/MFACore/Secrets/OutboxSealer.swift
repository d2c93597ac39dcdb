/// What an outbox message says: the part that is never stored in clear (SPEC 8.1). It is sealed
/// into ``OutboxRecord/sealedContent`` when queued, opened only to deliver it (or to show a held
/// message to a developer), and scrubbed once the message is sent or dead.
public struct OutboxContent: Sendable, Hashable {
    /// The plain-text body.
    public var body: String
    /// The HTML alternative; nil lets the sender derive it from `body`.
    public var htmlBody: String?
    /// The code the message carries; empty if none.
    public var code: String
    /// The link token the message carries; empty if none.
    public var linkToken: String

    /// Creates content; see the properties.
    public init(body: String, htmlBody: String? = nil, code: String = "", linkToken: String = "") {
        self.body = body
        self.htmlBody = htmlBody
        self.code = code
        self.linkToken = linkToken
    }

    /// What a scrubbed message shows: nothing.
    public static let scrubbed = OutboxContent(body: "")
}

/// An outbox row with its content opened, for a sender or a developer's listing. The row's fields
/// read through (`message.recipient`), and so do the content's (`message.body`).
@dynamicMemberLookup
public struct OpenedOutboxMessage: Sendable, Hashable {
    /// The row as stored (its ``OutboxRecord/sealedContent`` still sealed).
    public var record: OutboxRecord
    /// The opened content; ``OutboxContent/scrubbed`` once sent or dead.
    public var content: OutboxContent

    /// Pairs a record with its content.
    public init(record: OutboxRecord, content: OutboxContent) {
        self.record = record
        self.content = content
    }

    /// A field of the row.
    public subscript<T>(dynamicMember field: WritableKeyPath<OutboxRecord, T>) -> T {
        get { record[keyPath: field] }
        set { record[keyPath: field] = newValue }
    }

    /// A field of the content.
    public subscript<T>(dynamicMember field: WritableKeyPath<OutboxContent, T>) -> T {
        get { content[keyPath: field] }
        set { content[keyPath: field] = newValue }
    }
}

/// Seals outbox contents under the sealing data key, bound to the message's row id (the
/// associated data), so that a sealed content copied onto another row does not open.
public struct OutboxSealer: Sendable {
    private let vault: SecretVault

    /// - Parameter vault: The sealing data key (``DataKeys/vault``).
    public init(vault: SecretVault) {
        self.vault = vault
    }

    /// Seals `content` for the outbox row `id`.
    /// - Throws: `CryptoError` when OpenSSL fails.
    public func seal(_ content: OutboxContent, messageID id: Int64) throws -> [UInt8] {
        try vault.seal(Self.encode(content), context: Self.context(id))
    }

    /// Opens a row's content; a scrubbed row (no sealed content) gives ``OutboxContent/scrubbed``.
    /// - Throws: `CryptoError` for the wrong key or tampered bytes; ``OutboxContentError`` for
    ///   bytes that open but do not decode.
    public func open(_ record: OutboxRecord) throws -> OpenedOutboxMessage {
        guard let sealed = record.sealedContent else { return OpenedOutboxMessage(record: record, content: .scrubbed) }
        let plain = try vault.open(sealed, context: Self.context(record.id))
        return OpenedOutboxMessage(record: record, content: try Self.decode(plain, id: record.id))
    }

    /// Seals the content of messages queued or held before contents were sealed (schema 6), and
    /// blanks their clear columns; mfad runs it at start-up. The sealing happens between a read
    /// and a write, on the calling thread (see ``DataKeys``).
    /// - Returns: How many messages it sealed.
    /// - Throws: a storage or `CryptoError`.
    @discardableResult
    public func sealUnsealedContents(in storage: any MFAStorage) async throws -> Int {
        let unsealed = try await storage.read { tx in try await tx.unsealedOutboxContents().map { Unsealed(id: $0.id, content: $0.content) } }
        guard !unsealed.isEmpty else { return 0 }
        let sealed = try sealAll(unsealed)
        try await storage.write { tx in
            for message in sealed { try await tx.sealOutboxContent(id: message.id, sealed: message.sealed) }
        }
        return sealed.count
    }

    private struct Unsealed: Sendable {
        let id: Int64
        let content: OutboxContent
    }

    private struct Sealed: Sendable {
        let id: Int64
        let sealed: [UInt8]
    }

    // Synchronous on purpose: the release build's coroutine splitting crashed (Swift 6.3.1) on
    // this loop written as a throwing `map` inside the async function.
    private func sealAll(_ messages: [Unsealed]) throws -> [Sealed] {
        var sealed: [Sealed] = []
        for message in messages {
            sealed.append(Sealed(id: message.id, sealed: try seal(message.content, messageID: message.id)))
        }
        return sealed
    }

    private static func context(_ id: Int64) -> String {
        "mfad/outbox/v1/\(id)"
    }

    // The plaintext: a presence byte for the HTML body, then body, HTML body (if present), code and
    // link token, each as a 4-byte big-endian length and its UTF-8 bytes.
    static func encode(_ content: OutboxContent) -> [UInt8] {
        var out: [UInt8] = [content.htmlBody == nil ? 0 : 1]
        for field in [content.body, content.htmlBody, content.code, content.linkToken] {
            guard let field else { continue }
            out += UInt32(clamping: field.utf8.count).bigEndianBytes
            out += field.utf8
        }
        return out
    }

    static func decode(_ bytes: [UInt8], id: Int64) throws(OutboxContentError) -> OutboxContent {
        var index = 1
        func field() throws(OutboxContentError) -> String {
            guard index + 4 <= bytes.count else { throw OutboxContentError(messageID: id) }
            let length = Int(UInt32(bigEndianBytes: Array(bytes[index..<index + 4])))
            index += 4
            guard length <= bytes.count - index else { throw OutboxContentError(messageID: id) }
            defer { index += length }
            return String(decoding: bytes[index..<index + length], as: UTF8.self)
        }
        guard let flag = bytes.first, flag <= 1 else { throw OutboxContentError(messageID: id) }
        let body = try field()
        let html = flag == 1 ? try field() : nil
        let content = OutboxContent(body: body, htmlBody: html, code: try field(), linkToken: try field())
        guard index == bytes.count else { throw OutboxContentError(messageID: id) }
        return content
    }
}

/// A sealed outbox content that opened but is not in the expected layout.
public struct OutboxContentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The outbox row.
    public let messageID: Int64

    public var description: String { "the sealed content of outbox message \(messageID) is malformed" }
}
