import ArgumentParser
import MFAWire
import NIOCore
import NIOPosix

/// The ceiling mfad is measured against: the same listener options, the same idle and frame
/// handlers (`FrameDecodingHandler`, mfad's own), the same write batching (flush once per read
/// burst), and a handler that answers each frame at once with no decoding, dispatch or store.
///
/// The answer is the request frame with the envelope's `protocol_version` (field 2) left out:
/// `Request.ping` and `Response.ping` are both field 10 with the same shape, so what comes back
/// is a valid `Ping` response and mfa-load drives this server exactly as it drives mfad.
@main
struct EchoCeiling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "echo-ceiling",
                                                    abstract: "Echo frames back over mfad's framing (the benchmark ceiling).")

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "TCP port.")
    var port = 7380

    func run() async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: .seconds(300)))
                    try channel.pipeline.syncOperations.addHandler(
                        FrameDecodingHandler(maximumFrameLength: FrameDecoder.defaultMaximumFrameLength, frameTimeout: .seconds(10)))
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        print("echo-ceiling listening on \(channel.localAddress.map { "\($0)" } ?? "?")")
        try await channel.closeFuture.get()
    }
}

/// Answers every frame with itself minus field 2, batching writes until the read burst ends.
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var needsFlush = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var out = context.channel.allocator.buffer(capacity: frame.readableBytes + 4)
        out.writeInteger(UInt32(0), endianness: .big)
        let bodyStart = out.writerIndex
        frame.withUnsafeReadableBytes { bytes in
            var index = 0
            while index < bytes.count {
                let fieldStart = index
                guard let key = Self.varint(bytes, &index) else { break }
                switch key & 7 {
                case 0:
                    guard Self.varint(bytes, &index) != nil else { index = bytes.count; break }
                    if key >> 3 == 2 { continue }  // protocol_version: not part of a Response
                case 2:
                    guard let length = Self.varint(bytes, &index), index + Int(length) <= bytes.count else { index = bytes.count; break }
                    index += Int(length)
                case 1: index += 8
                case 5: index += 4
                default: index = bytes.count
                }
                out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[fieldStart..<min(index, bytes.count)]))
            }
        }
        out.setInteger(UInt32(out.writerIndex - bodyStart), at: bodyStart - 4, endianness: .big)
        context.write(wrapOutboundOut(out), promise: nil)
        needsFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private static func varint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}

@available(*, unavailable)
extension EchoHandler: Sendable {}
