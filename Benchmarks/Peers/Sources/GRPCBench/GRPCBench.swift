public import GRPCCore

/// The two RPCs the gRPC peer serves, named like mfad's, carrying mfad's own message bytes
/// (`PingRequest`, `ValidateSessionRequest`, ...) through a codec that passes bytes through, so
/// no protoc plugin or generated gRPC code is needed.
public enum GRPCBench {
    /// `mfa.v1.Bench/Ping`: answers the `PingRequest` bytes as the `PingResponse` (same shape).
    public static let ping = MethodDescriptor(fullyQualifiedService: "mfa.v1.Bench", method: "Ping")
    /// `mfa.v1.Bench/ValidateSession`: a `ValidateSessionRequest` in, a `ValidateSessionResponse` out.
    public static let validateSession = MethodDescriptor(fullyQualifiedService: "mfa.v1.Bench", method: "ValidateSession")
    /// Sessions the peer knows: `token(i)` for `i` below this.
    public static let sessionCount = 32

    /// The i-th session token: 43 characters, the length of mfad's (32 bytes, base64url).
    public static func token(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "A", count: 43 - digits.count) + digits
    }
}

/// Message bytes in and out unchanged.
public struct RawBytesCodec: MessageSerializer, MessageDeserializer {
    public typealias Message = [UInt8]

    public init() {}

    public func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }

    public func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
