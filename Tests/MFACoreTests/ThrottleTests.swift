import Testing
@testable import MFACore

@Suite("Password throttle")
struct PasswordThrottleTests {
    let throttle = PasswordThrottle()

    func fail(_ state: PasswordThrottleState, at now: Timestamp) -> (PasswordThrottleState, PasswordThrottle.FailureOutcome) {
        let result = throttle.recordFailure(state, now: now)
        return (result.state, result.outcome)
    }

    @Test func defaults() {
        #expect(throttle == PasswordThrottle(maxFailures: 10, windowSeconds: 900, lockSeconds: 900))
        #expect(throttle.lockedMessage == "Too many failed login attempts. Please try again in 15 min.")
    }

    @Test func tenFailuresWithinTheWindowLock() {
        var state = PasswordThrottleState()
        var outcome: PasswordThrottle.FailureOutcome
        for i in 0..<9 {
            (state, outcome) = fail(state, at: t0 + Int64(i * 60))
            #expect(outcome == .invalid(failuresRemaining: 9 - i))
        }
        #expect(throttle.evaluate(state, now: t0 + 540) == .open(failuresRemaining: 1))
        (state, outcome) = fail(state, at: t0 + 899) // the first failure is 899 s old: still inside
        #expect(outcome == .lockedNow(retryAfterSeconds: 900))
        #expect(throttle.evaluate(state, now: t0 + 899) == .locked(retryAfterSeconds: 900))
        #expect(throttle.evaluate(state, now: t0 + 899 + 899) == .locked(retryAfterSeconds: 1))
        #expect(throttle.evaluate(state, now: t0 + 899 + 900) == .open(failuresRemaining: 10))
    }

    @Test func failuresOlderThanTheWindowDropOut() {
        var state = PasswordThrottleState()
        var outcome: PasswordThrottle.FailureOutcome
        for i in 0..<9 {
            (state, _) = fail(state, at: t0 + Int64(i))
        }
        // At t0 + 900 the first failure (t0) is exactly 900 s old: out of the window.
        (state, outcome) = fail(state, at: t0 + 900)
        #expect(outcome == .invalid(failuresRemaining: 1))
        #expect(state.failureTimes.count == 9)
        (state, outcome) = fail(state, at: t0 + 900)
        #expect(outcome == .lockedNow(retryAfterSeconds: 900))
    }

    @Test func slidingWindowBlocksBurstsAcrossABoundary() {
        // 9 failures late in one quarter hour and 9 early in the next would pass a fixed window.
        var state = PasswordThrottleState()
        var outcome: PasswordThrottle.FailureOutcome = .invalid(failuresRemaining: 10)
        for i in 0..<9 { (state, _) = fail(state, at: t0 + 890 + Int64(i)) }
        (state, outcome) = fail(state, at: t0 + 905)
        #expect(outcome == .lockedNow(retryAfterSeconds: 900))
    }

    @Test func whileLockedNothingIsCounted() {
        var state = PasswordThrottleState()
        for _ in 0..<10 { (state, _) = fail(state, at: t0) }
        let (same, outcome) = fail(state, at: t0 + 100)
        #expect(same == state)
        #expect(outcome == .alreadyLocked(retryAfterSeconds: 800))
    }

    @Test func successClearsFailures() {
        var state = PasswordThrottleState()
        for _ in 0..<9 { (state, _) = fail(state, at: t0) }
        state = throttle.recordSuccess(state)
        #expect(state == PasswordThrottleState())
        #expect(throttle.evaluate(state, now: t0) == .open(failuresRemaining: 10))
    }
}

@Suite("Resend throttle")
struct ResendThrottleTests {
    let throttle = ResendThrottle()

    @Test func defaults() {
        #expect(throttle == ResendThrottle(minIntervalSeconds: 60, maxResendsPerChallenge: 5))
    }

    @Test func intervalBoundaries() {
        #expect(throttle.evaluate(lastSentAt: t0, resendCount: 0, now: t0) == .rateLimited(retryAfterSeconds: 60))
        #expect(throttle.evaluate(lastSentAt: t0, resendCount: 0, now: t0 + 1) == .rateLimited(retryAfterSeconds: 59))
        #expect(throttle.evaluate(lastSentAt: t0, resendCount: 0, now: t0 + 59) == .rateLimited(retryAfterSeconds: 1))
        #expect(throttle.evaluate(lastSentAt: t0, resendCount: 0, now: t0 + 60) == .allowed)
        #expect(throttle.evaluate(lastSentAt: t0, resendCount: 0, now: t0 + 3_600) == .allowed)
    }

    @Test func clockGoingBackwardsWaitsAFullInterval() {
        #expect(throttle.evaluate(lastSentAt: t0 + 30, resendCount: 0, now: t0) == .rateLimited(retryAfterSeconds: 60))
    }

    @Test func fiveResendsThenNewLogin() {
        var lastSent = t0
        var count = 0
        var now = t0
        while true {
            now = now + 60
            let decision = throttle.evaluate(lastSentAt: lastSent, resendCount: count, now: now)
            guard decision == .allowed else {
                #expect(decision == .limitReached)
                break
            }
            lastSent = now
            count += 1
        }
        #expect(count == 5)
        // The limit is reported even inside the interval.
        #expect(throttle.evaluate(lastSentAt: now, resendCount: 5, now: now) == .limitReached)
    }

    @Test func messages() {
        #expect(throttle.message(for: .allowed) == nil)
        #expect(throttle.message(for: .rateLimited(retryAfterSeconds: 42)) == "Please wait 42 seconds before asking for a new code.")
        #expect(throttle.message(for: .limitReached)
            == "You've asked for a new code 5 times for this login. Please start a new login to get a new code.")
    }
}
