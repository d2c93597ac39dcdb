// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mfad",
    platforms: [.macOS(.v14)],
    products: [],
    dependencies: [],
    targets: [
        // The system SQLite (Debian: libsqlite3-dev), wrapped by a tiny module map and shim header.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "MFAStore",
            dependencies: ["CSQLite"]
        ),
        .testTarget(
            name: "MFAStoreTests",
            dependencies: ["MFAStore"]
        ),
    ]
)
