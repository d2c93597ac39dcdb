import Testing
@testable import MFALoad

@Suite struct MixTests {
    @Test func parsesScenariosAndWeights() throws {
        let mix = try Mix(parsing: "ping:3, validate-session:1,totp")
        #expect(mix.scenarios == [.ping, .validateSession, .totp])
        #expect(mix.totalWeight == 5)
        #expect(mix.share(of: .ping) == 0.6)
        #expect(mix.share(of: .login) == 0)
        #expect(mix.description == "ping:3,validate-session:1,totp:1")
    }

    @Test(arguments: ["", "ping,", "pong", "ping:0", "ping:-1", "ping:x", "ping:1:2", "ping,ping"])
    func refusesBadMixes(_ text: String) {
        #expect(throws: MixError.self) { try Mix(parsing: text) }
    }

    @Test func unknownScenarioNamesTheKnownOnes() {
        #expect(throws: MixError.self) { try Mix(parsing: "pong") }
        do {
            _ = try Mix(parsing: "pong")
        } catch {
            #expect(error.description.contains("login-email"))
        }
    }

    @Test func picksInProportionEvenlySpread() throws {
        var mix = try Mix(parsing: "ping:3,login:1")
        let picks = (0..<8).map { _ in mix.next() }
        #expect(picks.filter { $0 == .ping }.count == 6)
        #expect(picks.filter { $0 == .login }.count == 2)
        // Smooth: never more than three pings in a row.
        #expect(picks == [.ping, .ping, .login, .ping, .ping, .ping, .login, .ping])
    }

    @Test func singleScenarioAlwaysPicksIt() throws {
        var mix = try Mix(parsing: "wrong-code")
        #expect((0..<5).allSatisfy { _ in mix.next() == .wrongCode })
    }

    @Test func expectedErrorsOnlyForWrongCode() {
        #expect(Scenario.wrongCode.expectedErrors == ["ERROR_CODE_INVALID_CODE", "ERROR_CODE_LOCKED"])
        #expect(Scenario.totp.expectedErrors.isEmpty)
        #expect(Scenario.totp.needsTestMode && !Scenario.ping.needsTestMode)
    }
}
