import Foundation
import MFAWire

/// Sends an exchange's client frames in order and compares every server frame byte for byte.
public enum Replayer {
    /// Replays `exchange` against a fresh server it starts itself.
    /// - Parameters:
    ///   - executable: the `mfad` binary; the one beside this program by default.
    ///   - postgresURL: nil to run the server on a temporary SQLite file; else a `postgres://` URL
    ///     of a server on which a scratch database is made for this exchange and dropped after it.
    /// - Returns: nil when every frame matched, else what differed.
    /// - Throws: when the server cannot be started or the connection fails.
    public static func replay(_ exchange: Exchange, executable: URL? = nil, postgresURL: String? = nil) async throws -> ReplayMismatch? {
        let server = try await ConformanceServer(executable: executable, postgresURL: postgresURL)
        do {
            let result = try await replay(exchange, port: { server.port }, restart: { try await server.restart($0) },
                                          refusedStart: { try await server.expectRefusedStart($0) })
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Replays `exchange` against a server on `port` (which must be fresh: `mfad --test-mode --seed 1`
    /// on an empty database). Exchanges that restart the server need `restart`, and those that
    /// show a refused start need `refusedStart` (which throws when the server started after all).
    public static func replay(_ exchange: Exchange, port: () -> Int,
                              restart: (([String]) async throws -> Void)? = nil,
                              refusedStart: (([String]) async throws -> Void)? = nil) async throws -> ReplayMismatch? {
        var connection = try FrameConnection(port: port())
        var serverFrameIndex = 0
        var index = 0
        let steps = exchange.steps
        while index < steps.count {
            switch steps[index] {
            case .client(let bytes):
                try connection.send(bytes)
                index += 1
            case .server:
                // A run of server frames may arrive in any order: match it as a set.
                var expected: [[UInt8]] = []
                while index < steps.count, case .server(let bytes) = steps[index] {
                    expected.append(bytes)
                    index += 1
                }
                for position in expected.indices {
                    let actual: [UInt8]
                    do {
                        actual = try connection.readFrame()
                    } catch {
                        return ReplayMismatch(exchange: exchange.name, frame: serverFrameIndex + position + 1,
                                              expected: FrameText.response(expected[position]), actual: "(no frame: \(error))",
                                              firstDifference: "the server sent nothing")
                    }
                    if let match = expected.firstIndex(of: actual) {
                        expected.remove(at: match)
                        continue
                    }
                    let closest = expected[0]
                    return ReplayMismatch.compare(exchange: exchange.name, frame: serverFrameIndex + position + 1,
                                                  expected: closest, actual: actual)
                }
                serverFrameIndex += 1
            case .closed:
                guard connection.isClosedByPeer() else {
                    return ReplayMismatch(exchange: exchange.name, frame: serverFrameIndex, expected: "(connection closed)",
                                          actual: "(connection still open)", firstDifference: "the server did not close the connection")
                }
                index += 1
            case .reconnect:
                connection = try FrameConnection(port: port())
                index += 1
            case .restart(let arguments):
                guard let restart else {
                    throw ReplayUnsupported(reason: "\(exchange.name) restarts the server; replay it with a server the replayer starts")
                }
                try await restart(arguments)
                connection = try FrameConnection(port: port())
                index += 1
            case .refusedStart(let arguments):
                guard let refusedStart else {
                    throw ReplayUnsupported(reason: "\(exchange.name) stops the server; replay it with a server the replayer starts")
                }
                try await refusedStart(arguments)
                index += 1
            }
        }
        return nil
    }
}

/// An exchange that needs something this replay cannot do.
public struct ReplayUnsupported: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// A server frame that differs from the recording.
public struct ReplayMismatch: Error, CustomStringConvertible, Sendable {
    public let exchange: String
    /// 1-based number of the server frame in the exchange.
    public let frame: Int
    public let expected: String
    public let actual: String
    public let firstDifference: String

    static func compare(exchange: String, frame: Int, expected: [UInt8], actual: [UInt8]) -> ReplayMismatch {
        let expectedText = FrameText.response(expected)
        let actualText = FrameText.response(actual)
        let expectedLines = expectedText.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actualText.split(separator: "\n", omittingEmptySubsequences: false)
        var difference = "same decoded fields, different bytes"
        for line in 0..<max(expectedLines.count, actualLines.count) {
            let left = line < expectedLines.count ? String(expectedLines[line]) : "(nothing)"
            let right = line < actualLines.count ? String(actualLines[line]) : "(nothing)"
            if left != right {
                difference = "line \(line + 1): expected `\(left.trimmingCharacters(in: .whitespaces))`, got `\(right.trimmingCharacters(in: .whitespaces))`"
                break
            }
        }
        if difference.hasPrefix("same"), let offset = zip(expected, actual).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            difference += " (first at byte \(offset))"
        }
        return ReplayMismatch(exchange: exchange, frame: frame, expected: expectedText, actual: actualText, firstDifference: difference)
    }

    public var description: String {
        """
        exchange \(exchange): server frame \(frame) differs
        first difference: \(firstDifference)
        expected:
        \(expected.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        actual:
        \(actual.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        """
    }
}
