import Testing
@testable import MFALoad

@Suite struct TOTPRoundPlannerTests {
    @Test func eachAccountOncePerRoundWithTheNextStep() {
        var planner = TOTPRoundPlanner(challengesPerAccount: [2, 2], clockStep: 100)
        #expect(planner.take() == .use(account: 0, step: 101))
        #expect(planner.take() == .use(account: 1, step: 101))
        // Both had their turn: the clock must move, but not while round 0 is... handed out only.
        #expect(planner.take() == .advanceClock)
        #expect(planner.take() == .wait)  // until the advance is answered
        planner.clockAdvanced(toStep: 101)
        // Account 0's call of round 0 is still in flight: it is not used again yet.
        planner.finished(account: 1)
        #expect(planner.take() == .use(account: 1, step: 102))
        #expect(planner.take() == .wait)
        planner.finished(account: 0)
        #expect(planner.take() == .use(account: 0, step: 102))
        planner.finished(account: 0)
        planner.finished(account: 1)
        #expect(planner.take() == .exhausted)
        #expect(planner.challengesLeft == 0)
    }

    @Test func clockWaitsForOlderRoundsToDrain() {
        var planner = TOTPRoundPlanner(challengesPerAccount: [1, 3], clockStep: 10)
        #expect(planner.take() == .use(account: 0, step: 11))
        #expect(planner.take() == .use(account: 1, step: 11))
        #expect(planner.take() == .advanceClock)
        planner.clockAdvanced(toStep: 11)
        planner.finished(account: 1)
        #expect(planner.take() == .use(account: 1, step: 12))
        planner.finished(account: 1)
        // Round 1 is handed out, but account 0's round-0 call is in flight: moving the clock
        // again could take its code out of the window.
        #expect(planner.take() == .wait)
        planner.finished(account: 0)
        #expect(planner.take() == .advanceClock)
        planner.clockAdvanced(toStep: 12)
        #expect(planner.take() == .use(account: 1, step: 13))
    }

    @Test func stepsOfAnAccountOnlyIncreaseAndStayInTheWindow() {
        // Simulate: calls finish in a scrambled order; every handed-out step must be within one
        // step of the clock when it could arrive, and increase per account.
        var planner = TOTPRoundPlanner(challengesPerAccount: Array(repeating: 5, count: 4), clockStep: 0)
        var inFlight: [(account: Int, step: Int64)] = []
        var lastStep = [Int64](repeating: 0, count: 4)
        var handed = 0
        var turn = 0
        while true {
            turn += 1
            switch planner.take() {
            case .use(let account, let step):
                #expect(step > lastStep[account])
                lastStep[account] = step
                inFlight.append((account, step))
                handed += 1
                continue
            case .advanceClock:
                planner.clockAdvanced(toStep: planner.clockStep + 1)
            case .wait:
                #expect(!inFlight.isEmpty)
                let done = inFlight.remove(at: turn % inFlight.count)
                planner.finished(account: done.account)
            case .exhausted:
                #expect(handed == 20)
                return
            }
            for call in inFlight { #expect(abs(call.step - planner.clockStep) <= 1) }
        }
    }
}
