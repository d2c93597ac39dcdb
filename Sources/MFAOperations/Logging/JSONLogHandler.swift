import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler writing one JSON object per line:
/// `{"time":"2026-01-01T00:00:00.000Z","level":"info","label":"mfad","message":"...","metadata":{...}}`.
///
/// `time` is UTC with milliseconds; `metadata` merges the handler's, the provider's and the
/// call's metadata (the call's win) and is left out when empty. Strings are escaped so that
/// every line is valid JSON whatever a message holds. The handler writes what it is given:
/// keeping secrets out of messages and metadata is the callers' rule (they log ids and
/// outcomes, never codes, tokens, keys or passwords).
public struct JSONLogHandler: LogHandler {
    /// Where lines go.
    public enum Stream: Sendable {
        case standardError
        case standardOutput
    }

    /// One line at a time: a lock per process, since handlers for every label share the stream.
    private static let writeLock = NIOLock()

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let stream: Stream

    /// - Parameters:
    ///   - label: the logger's label.
    ///   - stream: standard error (default) or standard output.
    ///   - metadataProvider: extra metadata for every line, e.g. from task-locals.
    public init(label: String, stream: Stream = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.stream = stream
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let own = event.metadata {
            merged.merge(own) { _, new in new }
        }
        var line = Self.line(time: Self.now(), level: event.level, label: label, message: "\(event.message)", metadata: merged)
        line.append(10)  // newline
        let descriptor = stream == .standardError ? STDERR_FILENO : STDOUT_FILENO
        Self.writeLock.withLock {
            line.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // nowhere to report a failing log stream
                    }
                }
            }
        }
    }

    /// One log line as UTF-8 bytes, without the newline.
    /// - Parameters:
    ///   - time: seconds and nanoseconds since 1970 (UTC).
    ///   - level: the level.
    ///   - label: the logger's label.
    ///   - message: the message.
    ///   - metadata: every metadata value of the line.
    /// - Returns: one JSON object.
    public static func line(time: (seconds: Int, nanoseconds: Int), level: Logger.Level, label: String, message: String,
                            metadata: Logger.Metadata) -> [UInt8] {
        var out = JSONWriter()
        out.raw("{\"time\":")
        out.string(timestamp(seconds: time.seconds, nanoseconds: time.nanoseconds))
        out.raw(",\"level\":")
        out.string(level.rawValue)
        out.raw(",\"label\":")
        out.string(label)
        out.raw(",\"message\":")
        out.string(message)
        if !metadata.isEmpty {
            out.raw(",\"metadata\":")
            out.object(metadata)
        }
        out.raw("}")
        return out.bytes
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    static func timestamp(seconds: Int, nanoseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(nanoseconds / 1_000_000), 3))Z"
    }

    private static func now() -> (seconds: Int, nanoseconds: Int) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return (Int(spec.tv_sec), Int(spec.tv_nsec))
    }
}

/// Appends JSON to a byte buffer.
private struct JSONWriter {
    var bytes: [UInt8] = []

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20, 0x7F:
                raw("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default:
                bytes.append(byte)  // Swift strings are valid UTF-8: multi-byte sequences pass through
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func object(_ metadata: Logger.Metadata) {
        raw("{")
        for (index, key) in metadata.keys.sorted().enumerated() {
            if index > 0 { raw(",") }
            string(key)
            raw(":")
            value(metadata[key]!)
        }
        raw("}")
    }

    mutating func value(_ value: Logger.Metadata.Value) {
        switch value {
        case .string(let text):
            string(text)
        case .stringConvertible(let convertible):
            string(convertible.description)
        case .array(let values):
            raw("[")
            for (index, element) in values.enumerated() {
                if index > 0 { raw(",") }
                self.value(element)
            }
            raw("]")
        case .dictionary(let dictionary):
            object(dictionary)
        }
    }
}
