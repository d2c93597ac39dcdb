// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mfad",
    platforms: [.macOS(.v14)],
    products: [],
    dependencies: [],
    targets: [
        // C libraries from the system, found with pkg-config (Debian: libssl-dev, libargon2-dev).
        .systemLibrary(
            name: "COpenSSL",
            path: "Sources/COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(
            name: "CArgon2",
            path: "Sources/CArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"]), .brew(["argon2"])]
        ),

        // Swift wrappers over the C primitives: randomness, HMAC, constant-time compare, Argon2id.
        .target(name: "MFACrypto", dependencies: ["COpenSSL", "CArgon2"]),
        // Pure domain rules: no I/O, injected clock and randomness.
        .target(name: "MFACore", dependencies: ["MFACrypto"]),

        .testTarget(name: "MFACryptoTests", dependencies: ["MFACrypto"]),
        .testTarget(name: "MFACoreTests", dependencies: ["MFACore"]),
    ]
)
