import Foundation
import NIOCore

/// How many event-loop threads mfad runs: one per CPU it may run on.
///
/// NIO's default (`System.coreCount`) counts the machine's CPUs and cgroup limits but not the
/// process's CPU affinity, so `taskset -c 0 mfad` got two event loops on one CPU. They then take
/// turns in scheduler slices, and a request on the waiting loop waits a slice: measured, Ping's
/// p99 was 4.0 ms with two loops on one pinned CPU and 0.2 ms with one.
enum EventLoopThreads {
    /// The CPUs in this process's affinity mask (`Cpus_allowed` in /proc/self/status), at most
    /// `System.coreCount`; `System.coreCount` when the mask cannot be read.
    static func count() -> Int {
        let fallback = System.coreCount
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return fallback }
        let mask = line.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
        let allowed = mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        return allowed > 0 ? min(allowed, fallback) : fallback
    }
}
