import MFAWire

extension Scenario {
    static let lockoutScenarios: [Scenario] = [
        Scenario("lockout", [
            "SPEC 2.3 word for word: the first wrong code, the one before the lock, the lock; while locked",
            "a correct code gets the same answer; after 5 minutes the lock lifts; a new login keeps the counter.",
        ]) { s in
            try s.createVerifiedAccount("ada@example.com")
            try s.enforceFromStart()
            let first = try s.challenge("ada@example.com")
            try s.verify(first, "AAAAAA")
            let second = try s.challenge("ada@example.com")
            let code = try s.latestMessage(to: "ada@example.com").code
            try s.verify(second, "AAAAAA")
            try s.verify(second, "AAAAAA")
            try s.verify(second, code)
            try s.advance(299)
            try s.verify(second, code)
            try s.advance(1)
            try s.verify(second, code)
        },
        Scenario("lock-escalation", [
            "The third lock within 24 hours lasts until support unlocks the account (UnlockAccount);",
            "the audit log lists what happened.",
        ]) { s in
            let id = try s.createVerifiedAccount("ada@example.com")
            try s.enforceFromStart()
            for round in 1...3 {
                let challenge = try s.challenge("ada@example.com")
                for _ in 1...3 { try s.verify(challenge, "AAAAAA") }
                if round < 3 { try s.advance(300) }
            }
            try s.advance(3600)
            try s.login("ada@example.com")
            try s.call(.unlockAccount(UnlockAccountRequest(accountID: id)))
            let challenge = try s.challenge("ada@example.com")
            try s.verify(challenge, try s.latestMessage(to: "ada@example.com").code)
            try s.call(.listAuditEvents(ListAuditEventsRequest(accountID: id, sinceUnix: 1_767_225_600 + 3900, limit: 20)))
            try s.call(.unlockAccount(UnlockAccountRequest(accountID: "no-such-account")))
            try s.call(.unlockAccount(UnlockAccountRequest(accountID: "AAAAAAAAAAAAAAAAAAAAAA")))
        },
    ]
}
