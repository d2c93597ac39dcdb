import Dispatch
import Foundation
import MFAConformance

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP answer from mfad's operations endpoint.
struct HTTPAnswer {
    let status: Int
    let headers: [String: String]
    let body: String
}

/// `GET path` on `127.0.0.1:port` over a plain socket (the endpoint answers once and closes).
/// - Throws: when the port does not answer within `timeoutSeconds`, or the answer is not HTTP.
func httpGet(port: Int, path: String, timeoutSeconds: Int = 10) async throws -> HTTPAnswer {
    try await blocking {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTPProbeError("cannot connect to 127.0.0.1:\(port) (errno \(errno))") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            throw HTTPProbeError("send failed (errno \(errno))")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got == 0 { break }
            guard got > 0 else { throw HTTPProbeError("no complete answer from port \(port) (errno \(errno))") }
            bytes += chunk[0..<got]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw HTTPProbeError("not an HTTP answer: \(text.prefix(200))") }
        let headLines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = headLines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw HTTPProbeError("no status line: \(headLines.first ?? "")")
        }
        var headers: [String: String] = [:]
        for line in headLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPAnswer(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}

struct HTTPProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs blocking work (sockets, child processes) on a Dispatch thread, never on Swift's small
/// cooperative pool (two threads on the CI machine), which blocking calls would starve.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// A Prometheus text exposition, read for tests.
struct PrometheusText {
    let text: String

    /// The value of the series `name` whose labels include every pair of `labels`; nil when no
    /// such series is exported.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let seriesName = series.firstIndex(of: "{").map { String(series[..<$0]) } ?? String(series)
            guard seriesName == name else { continue }
            let matches = labels.allSatisfy { key, value in series.contains("\(key)=\"\(value)\"") }
            if matches { return Double(line[line.index(after: space)...]) }
        }
        return nil
    }
}

/// Scrapes `/metrics` on `port`.
func scrapeMetrics(port: Int) async throws -> PrometheusText {
    let answer = try await httpGet(port: port, path: "/metrics")
    guard answer.status == 200 else { throw HTTPProbeError("/metrics answered \(answer.status): \(answer.body)") }
    return PrometheusText(text: answer.body)
}

/// What an `mfad` command printed and how it exited.
struct CommandResult {
    let status: Int32
    let standardOutput: String
    let standardError: String
}

/// Runs the `mfad` executable to completion with `arguments` and extra environment variables
/// (the test process's environment without any `MFAD_*` variable, plus `environment`).
func runMfad(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
    try await blocking {
        let process = Process()
        process.executableURL = MfadProcess.buildDirectory.appendingPathComponent("mfad")
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MFAD_") }
        variables.merge(environment) { _, new in new }
        process.environment = variables
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read stderr on another thread so that neither pipe can fill up and stall the child.
        let collected = ErrorOutput()
        let reader = Thread { collected.data = errors.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !collected.isDone { usleep(1000) }
        return CommandResult(status: process.terminationStatus, standardOutput: String(decoding: out, as: UTF8.self),
                             standardError: String(decoding: collected.data, as: UTF8.self))
    }
}

/// The stderr bytes of a child, written by one reader thread and then read.
private final class ErrorOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Data?
    var data: Data {
        get { lock.withLock { stored ?? Data() } }
        set { lock.withLock { stored = newValue } }
    }
    var isDone: Bool { lock.withLock { stored != nil } }
}
