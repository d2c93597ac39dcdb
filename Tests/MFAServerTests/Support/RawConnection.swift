#if canImport(Glibc)
import Glibc
#endif
import MFAWire
import NIOCore

/// A blocking TCP connection over plain POSIX sockets, for sending exactly the bytes a test
/// wants (including broken ones) and reading what the server answers.
final class RawConnection {
    private let fd: Int32

    enum Failure: Error { case connect(Int32), send(Int32), timeout, closed }

    init(port: Int, receiveTimeoutSeconds: Int = 5) throws {
        // `fd` is set only once connected: a throwing class initializer whose stored properties
        // are all set still runs `deinit`, which would close the descriptor a second time.
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(socketFD)
            throw Failure.connect(code)
        }
        fd = socketFD
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure.send(errno) }
            offset += sent
        }
    }

    func send(_ request: Request) throws {
        let body = try request.serializedBytes()
        try send(Self.lengthPrefix(body.count) + body)
    }

    static func lengthPrefix(_ count: Int) -> [UInt8] {
        let n = UInt32(count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
    }

    /// Reads exactly `count` bytes; throws `.closed` on EOF and `.timeout` when nothing comes.
    func read(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = out[offset...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got == 0 { throw Failure.closed }
            if got < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? Failure.timeout : Failure.closed }
            offset += got
        }
        return out
    }

    /// Reads one response frame.
    func readResponse() throws -> Response {
        let header = try read(4)
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        return try Response(serializedBytes: try read(length))
    }

    /// True when the server has closed the connection (EOF) within the receive timeout.
    func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        while true {
            let got = recv(fd, &byte, 1, 0)
            if got == 0 { return true }
            if got < 0 { return errno == ECONNRESET }
        }
    }
}
