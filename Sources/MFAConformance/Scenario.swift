/// One conformance scenario, written once as code and recorded into `<name>.exchange`.
public struct Scenario: Sendable {
    /// The file name (kebab-case).
    public let name: String
    /// What it shows, for the file's header.
    public let summary: [String]
    /// Whether the session authenticates each connection first (all but the scenario about it).
    public let authenticates: Bool
    /// The steps, run against a fresh `mfad --test-mode --seed 1`.
    public let run: @Sendable (ScenarioSession) async throws -> Void

    /// - Parameters: see the properties.
    public init(_ name: String, _ summary: [String], authenticates: Bool = true,
                run: @escaping @Sendable (ScenarioSession) async throws -> Void) {
        self.name = name
        self.summary = summary
        self.authenticates = authenticates
        self.run = run
    }

    /// Every scenario, in file order.
    public static let all: [Scenario] = protocolScenarios + signupScenarios + loginScenarios + lockoutScenarios
        + totpScenarios + supportScenarios
}
