// swift-tools-version:6.1
// The peers mfad is measured against, in a package of their own so that the main build never
// pays for gRPC: an echo server on the same NIO framing (the ceiling), and a gRPC server and
// load driver on grpc-swift-2 (HTTP/2) with the same two RPCs.
import PackageDescription

let package = Package(
    name: "mfad-bench-peers",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "mfad", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
    ],
    targets: [
        // The ceiling: mfad's framing and connection options, a handler that echoes.
        .executableTarget(
            name: "echo-ceiling",
            dependencies: [
                .product(name: "MFAWire", package: "mfad"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The two RPCs as gRPC methods with a raw-bytes codec: the message bytes are mfad's own.
        .target(
            name: "GRPCBench",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
            ]
        ),
        .executableTarget(
            name: "grpc-peer",
            dependencies: [
                "GRPCBench",
                .product(name: "MFAWire", package: "mfad"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "grpc-load",
            dependencies: [
                "GRPCBench",
                .product(name: "MFAWire", package: "mfad"),
                .product(name: "MFALoad", package: "mfad"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
    ]
)
