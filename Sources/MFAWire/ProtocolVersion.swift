/// Protocol versions this build speaks (SPEC 4: the envelope's major version).
public enum ProtocolVersion {
    /// The major version of this protocol.
    public static let current: UInt32 = 1
    /// The TCP port mfad listens on unless told otherwise (SPEC 4.1).
    public static let defaultPort = 7370
}
