/// Why a `--mix` could not be read.
public struct MixError: Error, Equatable, CustomStringConvertible {
    public let description: String
}

/// A weighted choice of scenarios, e.g. `ping:80,validate-session:20` (a missing weight is 1).
///
/// The picker is deterministic (smooth weighted round-robin): over any window of `totalWeight`
/// picks each scenario comes up exactly `weight` times, evenly spread, so a short run has the
/// proportions asked for without a random source.
public struct Mix: Sendable, Equatable, CustomStringConvertible {
    /// The scenarios with their weights, in the order given.
    public let entries: [(scenario: Scenario, weight: Int)]
    private var current: [Int]

    /// Reads a mix such as `ping`, `ping:3,totp:1` or `validate-session:95, login:5`.
    /// - Parameter text: comma-separated `scenario[:weight]`; weights are positive integers.
    /// - Throws: `MixError` naming the part that is not a known scenario or not a valid weight,
    ///   or a scenario given twice.
    public init(parsing text: String) throws(MixError) {
        var entries: [(Scenario, Int)] = []
        for rawPart in text.split(separator: ",", omittingEmptySubsequences: false) {
            let part = rawPart.trimmingCharacters(in: " ")
            guard !part.isEmpty else { throw MixError(description: "empty entry in mix '\(text)'") }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let scenario = Scenario(rawValue: String(pieces[0]).trimmingCharacters(in: " ")) else {
                let known = Scenario.allCases.map(\.rawValue).joined(separator: ", ")
                throw MixError(description: "unknown scenario '\(pieces[0])' in mix; known: \(known)")
            }
            var weight = 1
            if pieces.count == 2 {
                guard let w = Int(String(pieces[1]).trimmingCharacters(in: " ")), w > 0, w <= 1_000_000 else {
                    throw MixError(description: "weight of \(scenario.rawValue) must be an integer from 1 to 1000000, got '\(pieces[1])'")
                }
                weight = w
            }
            guard !entries.contains(where: { $0.0 == scenario }) else {
                throw MixError(description: "scenario \(scenario.rawValue) appears twice in the mix")
            }
            entries.append((scenario, weight))
        }
        self.entries = entries
        self.current = Array(repeating: 0, count: entries.count)
    }

    /// The scenarios of the mix.
    public var scenarios: [Scenario] { entries.map(\.scenario) }
    /// The sum of the weights.
    public var totalWeight: Int { entries.reduce(0) { $0 + $1.weight } }

    /// The share of operations that `scenario` gets (0 when it is not in the mix).
    public func share(of scenario: Scenario) -> Double {
        guard let entry = entries.first(where: { $0.scenario == scenario }) else { return 0 }
        return Double(entry.weight) / Double(totalWeight)
    }

    /// The next scenario (smooth weighted round-robin, as nginx balances upstreams).
    public mutating func next() -> Scenario {
        let total = totalWeight
        var best = 0
        for index in entries.indices {
            current[index] += entries[index].weight
            if current[index] > current[best] { best = index }
        }
        current[best] -= total
        return entries[best].scenario
    }

    public var description: String {
        entries.map { "\($0.scenario.rawValue):\($0.weight)" }.joined(separator: ",")
    }

    public static func == (lhs: Mix, rhs: Mix) -> Bool {
        lhs.description == rhs.description
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice.removeFirst() }
        while slice.last == set { slice.removeLast() }
        return String(slice)
    }
}
