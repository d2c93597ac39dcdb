import MFALoad
import MFAWire
import NIOCore

// Each scenario as a short chain of callbacks on the connection's event loop.
extension LoadConnection {
    func run(_ scenario: Scenario, intended: NIODeadline) {
        switch scenario {
        case .ping:
            send(loop.pingTemplate) { reply in
                self.finish(.ping, intended: intended, requests: 1, error: reply.errorName)
            }
        case .validateSession:
            let templates = fixtures.validateTemplates
            send(templates[loop.pick(templates.count)]) { reply in
                self.finish(.validateSession, intended: intended, requests: 1, error: reply.errorName)
            }
        case .login:
            let accounts = fixtures.loginAccounts
            let account = accounts[loop.pick(accounts.count)]
            send(.login(LoginRequest(email: account.email, password: account.password, clientInfo: "mfa-load"))) { reply in
                self.finish(.login, intended: intended, requests: 1, error: reply.errorName)
            }
        case .wrongCode:
            let attempts = fixtures.wrongCodeAttempts
            let attempt = attempts[loop.pick(attempts.count)]
            send(.verifyMfa(VerifyMfaRequest(challengeID: attempt.challengeID, code: attempt.wrongCode))) { reply in
                self.finish(.wrongCode, intended: intended, requests: 1, error: reply.errorName ?? "UNEXPECTED_SUCCESS")
            }
        case .totp:
            runTOTP(intended: intended)
        case .loginEmail:
            runLoginEmail(intended: intended)
        }
    }

    private func runTOTP(intended: NIODeadline) {
        guard let pool = fixtures.totp else { return abandon() }
        let retry = later { $0.runTOTP(intended: intended) }
        switch pool.take(whenReady: retry) {
        case .wait:
            return
        case .exhausted:
            abandon(.totp)
        case .use(let account, let challengeID, let code):
            send(.verifyMfa(VerifyMfaRequest(challengeID: challengeID, code: code))) { reply in
                pool.finished(account: account)
                self.finish(.totp, intended: intended, requests: 1, error: reply.errorName)
            }
        }
    }

    private func runLoginEmail(intended: NIODeadline) {
        guard let pool = fixtures.emailAccounts, let outbox = fixtures.outbox, let eventLoop else {
            return abandon()
        }
        let retry = later { $0.runLoginEmail(intended: intended) }
        guard var account = pool.checkout(whenReady: retry) else { return }
        send(.login(LoginRequest(email: account.email, password: account.password, clientInfo: "mfa-load")), needsBody: true) { reply in
            guard case .result(.login(let login)?) = reply, !login.challengeID.isEmpty else {
                pool.checkin(account)
                return self.finish(.loginEmail, intended: intended, requests: 1, error: reply.errorName ?? "NO_CHALLENGE")
            }
            outbox.code(for: account.email, after: account.lastMessageID, eventLoop: eventLoop)
                .assumeIsolated().whenComplete { result in
                    switch result {
                    case .failure:
                        pool.checkin(account)
                        self.finish(.loginEmail, intended: intended, requests: 1, error: "NO_CODE")
                    case .success(let message):
                        account.lastMessageID = message.id
                        let verify = VerifyMfaRequest(challengeID: login.challengeID, code: message.code)
                        self.send(.verifyMfa(verify)) { reply in
                            pool.checkin(account)
                            self.finish(.loginEmail, intended: intended, requests: 2, error: reply.errorName)
                        }
                    }
                }
        }
    }
}
