#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection that sends and receives exact bytes, for recording and replaying
/// exchanges (the client under test must not add or reorder anything).
public final class FrameConnection {
    private let fd: Int32

    /// Connection failures.
    public enum Failure: Error, CustomStringConvertible {
        case connect(host: String, port: Int, errno: Int32)
        case send(Int32)
        case timeout
        case closed
        public var description: String {
            switch self {
            case .connect(let host, let port, let code): "cannot connect to \(host):\(port) (errno \(code))"
            case .send(let code): "send failed (errno \(code))"
            case .timeout: "no answer within the timeout"
            case .closed: "the server closed the connection"
            }
        }
    }

    /// Connects to `host:port` (IPv4 dotted quad) with a receive timeout.
    public init(host: String = "127.0.0.1", port: Int, timeoutSeconds: Int = 10) throws {
        // `fd` is set only once the connection is made: a class initializer that throws after
        // its stored properties are set still runs `deinit`, which would close the descriptor a
        // second time (by then possibly another thread's file or pipe).
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(socketFD)
            throw Failure.connect(host: host, port: port, errno: code)
        }
        fd = socketFD
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Sends `bytes` as they are.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure.send(errno) }
            offset += sent
        }
    }

    /// Shuts down the sending side (`shutdown(SHUT_WR)`): the server sees end of input while
    /// answers can still be read.
    public func shutdownWrite() {
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads one whole frame (length prefix included).
    public func readFrame() throws -> [UInt8] {
        let header = try read(4)
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        return header + (try read(length))
    }

    /// True when the server closes the connection (EOF or reset) before sending anything more.
    public func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        while true {
            let got = recv(fd, &byte, 1, 0)
            if got == 0 { return true }
            if got < 0 { return errno == ECONNRESET }
            return false
        }
    }

    /// Reads exactly `count` bytes; throws `.closed` at end of file and `.timeout` when nothing comes.
    public func read(_ count: Int) throws -> [UInt8] {
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
}
