import Testing
@testable import MFACore

@Suite("Lockout")
struct LockoutTests {
    let policy = LockoutPolicy()

    /// Applies `count` wrong codes at `now`, returning the final state and every outcome.
    func fail(_ state: AttemptState, times count: Int, at now: Timestamp) -> (AttemptState, [LockoutPolicy.FailureOutcome]) {
        var state = state
        var outcomes: [LockoutPolicy.FailureOutcome] = []
        for _ in 0..<count {
            let result = policy.recordFailure(state, now: now)
            state = result.state
            outcomes.append(result.outcome)
        }
        return (state, outcomes)
    }

    @Test func defaults() {
        #expect(policy == LockoutPolicy(maxAttempts: 3, lockSeconds: 300, locksBeforeEscalation: 3, escalationWindowSeconds: 86_400))
    }

    @Test func messagesWordForWord() {
        #expect(UserMessages.invalidCode == "This code is invalid, please try again.")
        #expect(UserMessages.invalidCodeLastAttempt(maxAttempts: 3) == "Invalid code, your account will be locked after 3 incorrect attempts.")
        #expect(UserMessages.codeExpired == "This code is not valid anymore. Get a new one via email.")
        #expect(UserMessages.locked(lockSeconds: 300) == "You've reached the maximum amount of attempts. Please try again in 5 min.")
        #expect(UserMessages.lockedUntilSupport == "You've reached the maximum amount of attempts. Your account is locked, please contact support.")
    }

    @Test func messagesFollowConfiguration() {
        let custom = LockoutPolicy(maxAttempts: 5, lockSeconds: 600)
        #expect(custom.message(for: .invalid(attemptsRemaining: 1)) == "Invalid code, your account will be locked after 5 incorrect attempts.")
        #expect(custom.message(for: .invalid(attemptsRemaining: 2)) == "This code is invalid, please try again.")
        #expect(custom.message(for: .lockedNow(retryAfterSeconds: 600, untilSupport: false))
            == "You've reached the maximum amount of attempts. Please try again in 10 min.")
        #expect(LockoutPolicy(lockSeconds: 90).message(for: .alreadyLocked(retryAfterSeconds: 3, untilSupport: false))
            == "You've reached the maximum amount of attempts. Please try again in 2 min.")
    }

    @Test func attemptsRemainingSequenceAndMessages() {
        let fresh = AttemptState()
        #expect(policy.evaluate(fresh, now: t0) == .open(attemptsRemaining: 3))

        let (s1, o1) = policy.recordFailure(fresh, now: t0)
        #expect(o1 == .invalid(attemptsRemaining: 2))
        #expect(policy.message(for: o1) == "This code is invalid, please try again.")
        #expect(policy.evaluate(s1, now: t0 + 1) == .open(attemptsRemaining: 2))

        let (s2, o2) = policy.recordFailure(s1, now: t0 + 1)
        #expect(o2 == .invalid(attemptsRemaining: 1))
        #expect(policy.message(for: o2) == "Invalid code, your account will be locked after 3 incorrect attempts.")
        #expect(policy.evaluate(s2, now: t0 + 2) == .open(attemptsRemaining: 1))

        let (s3, o3) = policy.recordFailure(s2, now: t0 + 2)
        #expect(o3 == .lockedNow(retryAfterSeconds: 300, untilSupport: false))
        #expect(policy.message(for: o3) == "You've reached the maximum amount of attempts. Please try again in 5 min.")
        #expect(s3 == AttemptState(consecutiveFailures: 0, lockedUntil: t0 + 302, recentLocks: [t0 + 2], lockedUntilSupport: false))
    }

    @Test func retryAfterAtLockMidLockAndWhenItLifts() {
        let (locked, _) = fail(AttemptState(), times: 3, at: t0)
        #expect(policy.evaluate(locked, now: t0) == .locked(retryAfterSeconds: 300, untilSupport: false))
        #expect(policy.evaluate(locked, now: t0 + 120) == .locked(retryAfterSeconds: 180, untilSupport: false))
        #expect(policy.evaluate(locked, now: t0 + 299) == .locked(retryAfterSeconds: 1, untilSupport: false))
        #expect(policy.message(for: policy.evaluate(locked, now: t0 + 299))
            == "You've reached the maximum amount of attempts. Please try again in 5 min.")
        // The lock lifts at exactly lockSeconds, with a fresh counter.
        #expect(policy.evaluate(locked, now: t0 + 300) == .open(attemptsRemaining: 3))
        #expect(policy.message(for: policy.evaluate(locked, now: t0 + 300)) == nil)
    }

    @Test func attemptsWhileLockedAreNotCountedAndAnswerLocked() {
        let (locked, _) = fail(AttemptState(), times: 3, at: t0)
        let (same, outcome) = policy.recordFailure(locked, now: t0 + 10)
        #expect(same == locked)
        #expect(outcome == .alreadyLocked(retryAfterSeconds: 290, untilSupport: false))
        #expect(policy.message(for: outcome) == "You've reached the maximum amount of attempts. Please try again in 5 min.")
        // 100 wrong codes at once: 3 are counted, 97 answered locked.
        let (_, outcomes) = fail(AttemptState(), times: 100, at: t0)
        #expect(outcomes.prefix(3) == [.invalid(attemptsRemaining: 2), .invalid(attemptsRemaining: 1), .lockedNow(retryAfterSeconds: 300, untilSupport: false)])
        #expect(outcomes.dropFirst(3).allSatisfy { $0 == .alreadyLocked(retryAfterSeconds: 300, untilSupport: false) })
    }

    @Test func thirdLockWithin24HoursNeedsSupport() {
        var (state, _) = fail(AttemptState(), times: 3, at: t0)
        (state, _) = fail(state, times: 3, at: t0 + 300)
        #expect(policy.evaluate(state, now: t0 + 300) == .locked(retryAfterSeconds: 300, untilSupport: false))
        var outcomes: [LockoutPolicy.FailureOutcome]
        (state, outcomes) = fail(state, times: 3, at: t0 + 86_000)
        #expect(outcomes == [.invalid(attemptsRemaining: 2), .invalid(attemptsRemaining: 1), .lockedNow(retryAfterSeconds: 0, untilSupport: true)])
        #expect(policy.message(for: outcomes[2]) == "You've reached the maximum amount of attempts. Your account is locked, please contact support.")
        #expect(state.lockedUntilSupport)
        // Locked for good: days later, still locked, retry-after 0.
        #expect(policy.evaluate(state, now: t0 + 30 * 86_400) == .locked(retryAfterSeconds: 0, untilSupport: true))
        let (after, outcome) = policy.recordFailure(state, now: t0 + 30 * 86_400)
        #expect(after == state)
        #expect(outcome == .alreadyLocked(retryAfterSeconds: 0, untilSupport: true))
    }

    @Test func atMostNineWrongCodesADay() {
        var state = AttemptState()
        var now = t0
        var counted = 0
        // An attacker who retries as soon as each lock lifts.
        for _ in 0..<100 {
            let gate = policy.evaluate(state, now: now)
            if case .locked(let retryAfter, let untilSupport) = gate {
                if untilSupport { break }
                now = now + retryAfter
                continue
            }
            let result = policy.recordFailure(state, now: now)
            state = result.state
            counted += 1
        }
        #expect(counted == 9)
        #expect(state.lockedUntilSupport)
        #expect(now.seconds(since: t0) == 600)
    }

    @Test func threeLocksSpreadOverMoreThan24HoursDoNotEscalate() {
        var (state, _) = fail(AttemptState(), times: 3, at: t0)
        (state, _) = fail(state, times: 3, at: t0 + 43_200)
        // Exactly 24 h after the first lock, it has left the window.
        var outcomes: [LockoutPolicy.FailureOutcome]
        (state, outcomes) = fail(state, times: 3, at: t0 + 86_400)
        #expect(outcomes.last == .lockedNow(retryAfterSeconds: 300, untilSupport: false))
        #expect(!state.lockedUntilSupport)
        #expect(state.recentLocks == [t0 + 43_200, t0 + 86_400])
        // One second earlier, the same three locks escalate.
        var (close, _) = fail(AttemptState(), times: 3, at: t0)
        (close, _) = fail(close, times: 3, at: t0 + 43_200)
        (close, outcomes) = fail(close, times: 3, at: t0 + 86_399)
        #expect(outcomes.last == .lockedNow(retryAfterSeconds: 0, untilSupport: true))
    }

    @Test func successResetsTheCounterButNotTheLockHistory() {
        var (state, _) = fail(AttemptState(), times: 3, at: t0) // lock 1
        (state, _) = fail(state, times: 2, at: t0 + 300)
        #expect(policy.evaluate(state, now: t0 + 300) == .open(attemptsRemaining: 1))
        state = policy.recordSuccess(state)
        #expect(state.consecutiveFailures == 0)
        #expect(state.recentLocks == [t0])
        #expect(policy.evaluate(state, now: t0 + 301) == .open(attemptsRemaining: 3))
        // Two more locks today still escalate: the success did not reset the daily budget.
        (state, _) = fail(state, times: 3, at: t0 + 400) // lock 2
        state = policy.recordSuccess(state)
        #expect(policy.evaluate(state, now: t0 + 500) == .locked(retryAfterSeconds: 200, untilSupport: false))
        let (final, outcomes) = fail(state, times: 3, at: t0 + 700) // lock 3
        #expect(outcomes.last == .lockedNow(retryAfterSeconds: 0, untilSupport: true))
        #expect(final.lockedUntilSupport)
    }

    @Test func unlockClearsEverything() {
        var (state, _) = fail(AttemptState(), times: 9, at: t0)
        (state, _) = fail(state, times: 3, at: t0 + 300)
        (state, _) = fail(state, times: 3, at: t0 + 600)
        #expect(state.lockedUntilSupport)
        let unlocked = policy.unlock(state)
        #expect(unlocked == AttemptState())
        #expect(policy.evaluate(unlocked, now: t0 + 601) == .open(attemptsRemaining: 3))
    }

    @Test func customPolicyWithOneAttempt() {
        let strict = LockoutPolicy(maxAttempts: 1, lockSeconds: 60, locksBeforeEscalation: 2, escalationWindowSeconds: 3_600)
        let (s1, o1) = strict.recordFailure(AttemptState(), now: t0)
        #expect(o1 == .lockedNow(retryAfterSeconds: 60, untilSupport: false))
        #expect(strict.message(for: o1) == "You've reached the maximum amount of attempts. Please try again in 1 min.")
        let (_, o2) = strict.recordFailure(s1, now: t0 + 60)
        #expect(o2 == .lockedNow(retryAfterSeconds: 0, untilSupport: true))
    }
}
