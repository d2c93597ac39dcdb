/// The version of this mfad build, reported by `ServerInfo` and `mfad --version`.
public enum ServerVersion {
    /// Semantic version of the server.
    public static let current = "0.1.0"
}
