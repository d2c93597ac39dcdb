// swift-tools-version:6.1
// Micro-benchmarks of mfad's hot paths with ordo-one/benchmark, kept out of the main build.
// Run: swift package --disable-sandbox benchmark   (from this folder; scripts/bench runs it too)
import PackageDescription

let package = Package(
    name: "mfad-micro-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "mfad", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "MFAMicro",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MFAWire", package: "mfad"),
                .product(name: "MFACore", package: "mfad"),
                .product(name: "MFAStore", package: "mfad"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/MFAMicro",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
