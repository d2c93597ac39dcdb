import MFACore
import MFAQRCode
import MFAWire
import NIOCore

/// Answers the MFA calls by translating between wire messages and `MFAService`. Each call runs
/// as a task (the service awaits storage and password hashing); the promise is completed when
/// it is done.
public struct ServiceDispatcher: RequestDispatcher {
    /// The service that decides.
    public let service: MFAService
    /// The API keys `Authenticate` checks.
    public let apiKeys: APIKeys
    private let callerThrottle: CallerThrottle

    /// - Parameters:
    ///   - service: the service that decides.
    ///   - clock: the time for rate-limiting failed authentications.
    ///   - apiKeys: the API keys `Authenticate` checks.
    public init(service: MFAService, clock: any Clock, apiKeys: APIKeys) {
        self.service = service
        self.apiKeys = apiKeys
        self.callerThrottle = CallerThrottle(clock: clock)
    }

    public var supportedRPCs: [String] {
        let testOnly: Set<String> = ["AdvanceClock", "ReadOutbox"]
        return Request.Call.allRPCNames.filter { name in
            name != "Ping" && name != "ServerInfo" && (service.isTestMode || !testOnly.contains(name))
        }
    }

    public func dispatch(_ call: Request.Call, context: RequestContext, promise: EventLoopPromise<Response.Result>) {
        promise.completeWithTask {
            do throws(MFAError) {
                if case .authenticate(let request) = call {
                    return try await authenticate(request, peer: context.peerIP)
                }
                return try await handle(call)
            } catch {
                if let detail = error.logDetail {
                    context.logger.error("request failed", metadata: [
                        "request_id": "\(context.requestID)", "rpc": "\(call.rpcName)", "detail": "\(detail)",
                    ])
                }
                return .error(ErrorDetails(error))
            }
        }
    }

    /// `Authenticate`, rate-limited per peer address.
    private func authenticate(_ request: AuthenticateRequest, peer: String) async throws(MFAError) -> Response.Result {
        if let retryAfter = callerThrottle.retryAfter(peer: peer) {
            throw MFAError(.rateLimited, "Too many failed authentications from this address. Please try again later.",
                           retryAfterSeconds: retryAfter)
        }
        do {
            let service = try await apiKeys.authenticate(service: request.service, apiKey: request.apiKey)
            callerThrottle.recordSuccess(peer: peer)
            return .authenticate(AuthenticateResponse(service: service))
        } catch {
            if error.code == .unauthenticated { callerThrottle.recordFailure(peer: peer) }
            throw error
        }
    }

    // One line per RPC: decode the request's fields, call the service, encode the answer.
    private func handle(_ call: Request.Call) async throws(MFAError) -> Response.Result {
        switch call {
        case .ping, .serverInfo, .authenticate:
            throw MFAError(.unimplemented, "\(call.rpcName) is answered by the system dispatcher")
        case .createAccount(let r):
            let id = try await service.createAccount(NewAccount(email: r.email, password: r.password, phone: r.phone,
                                                                plan: r.plan, workspace: r.workspace))
            return .createAccount(CreateAccountResponse(accountID: id))
        case .login(let r):
            switch try await service.login(LoginAttempt(email: r.email, password: r.password, deviceToken: r.deviceToken,
                                                        clientInfo: r.clientInfo)) {
            case .session(let session, let reminder):
                return .login(LoginResponse(sessionToken: session.token, mfaReminder: reminder,
                                            sessionExpiresUnix: session.expiresAt.unixSeconds))
            case .challenge(let challenge):
                return .login(LoginResponse(challengeID: challenge.id, methods: challenge.methods.map(\.rawValue),
                                            reason: challenge.reason.rawValue))
            }
        case .verifyMfa(let r):
            let session = try await service.verifyMfa(challengeID: r.challengeID, code: r.code, trustDevice: r.trustDevice,
                                                      deviceLabel: r.deviceLabel)
            return .verifyMfa(VerifyMfaResponse(sessionToken: session.token, deviceToken: session.deviceToken ?? "",
                                                sessionExpiresUnix: session.expiresAt.unixSeconds))
        case .resendCode(let r):
            let outcome = try await service.resendCode(challengeID: r.challengeID)
            return .resendCode(ResendCodeResponse(codeExpiresUnix: outcome.codeExpiresAt.unixSeconds,
                                                  resendsRemaining: UInt32(clamping: outcome.resendsRemaining)))
        case .verifyLink(let r):
            let session = try await service.verifyLink(token: r.linkToken, trustDevice: r.trustDevice, deviceLabel: r.deviceLabel)
            return .verifyLink(VerifyLinkResponse(sessionToken: session.token, sessionExpiresUnix: session.expiresAt.unixSeconds,
                                                  deviceToken: session.deviceToken ?? ""))
        case .validateSession(let r):
            let info = try await service.validateSession(token: r.sessionToken)
            return .validateSession(ValidateSessionResponse(accountID: info.accountID, email: info.email, plan: info.plan,
                                                            workspace: info.workspace, expiresUnix: info.expiresAt.unixSeconds))
        case .logout(let r):
            try await service.logout(token: r.sessionToken)
            return .logout(LogoutResponse())
        case .getMfaStatus(let r):
            return .getMfaStatus(GetMfaStatusResponse(try await service.mfaStatus(sessionToken: r.sessionToken)))
        case .setEnforcementPolicy(let r):
            let policy = try await service.setEnforcementPolicy(try EnforcementChange(
                workspace: r.workspace, enforceFromUnix: r.enforceFromUnix, clearEnforceFrom: r.clearEnforceFrom,
                exemptPlans: r.exemptPlans, clearExemptPlans: r.clearExemptPlans,
                graceLogins: Int(r.graceLogins), graceDays: Int(r.graceDays), clearGrace: r.clearGrace))
            return .setEnforcementPolicy(SetEnforcementPolicyResponse(policy: MFAWire.EnforcementPolicy(policy)))
        case .getEnforcementPolicy:
            let policy = try await service.enforcementPolicy()
            return .getEnforcementPolicy(GetEnforcementPolicyResponse(policy: MFAWire.EnforcementPolicy(policy)))
        case .unlockAccount(let r):
            try await service.unlockAccount(accountID: r.accountID)
            return .unlockAccount(UnlockAccountResponse())
        case .listAuditEvents(let r):
            guard r.sinceUnix >= 0 else { throw .invalidArgument("since_unix: must not be negative") }
            let events = try await service.auditEvents(accountID: r.accountID, since: Timestamp(unixSeconds: r.sinceUnix),
                                                       limit: Int(r.limit))
            return .listAuditEvents(ListAuditEventsResponse(events: events.map(MFAWire.AuditEvent.init)))
        case .beginTotpEnrollment(let r):
            let grant = try await service.beginTOTPEnrollment(sessionToken: r.sessionToken, password: r.password)
            let qr: QRCode
            do {
                qr = try QRCode(text: grant.uri)
                return .beginTotpEnrollment(BeginTotpEnrollmentResponse(
                    enrollmentID: grant.id, secret: grant.secret, otpauthURI: grant.uri, qrPng: try qr.pngData(),
                    qrSvg: qr.svg(), expiresUnix: grant.expiresAt.unixSeconds))
            } catch {
                throw MFAError.unavailable(error)
            }
        case .confirmTotpEnrollment(let r):
            let codes = try await service.confirmTOTPEnrollment(sessionToken: r.sessionToken, enrollmentID: r.enrollmentID, code: r.code)
            return .confirmTotpEnrollment(ConfirmTotpEnrollmentResponse(recoveryCodes: codes))
        case .regenerateRecoveryCodes(let r):
            let codes = try await service.regenerateRecoveryCodes(sessionToken: r.sessionToken, password: r.password)
            return .regenerateRecoveryCodes(RegenerateRecoveryCodesResponse(recoveryCodes: codes))
        case .listTrustedDevices(let r):
            let devices = try await service.trustedDevices(sessionToken: r.sessionToken)
            return .listTrustedDevices(ListTrustedDevicesResponse(devices: devices.map(TrustedDevice.init)))
        case .removeTrustedDevice(let r):
            try await service.removeTrustedDevice(sessionToken: r.sessionToken, deviceID: r.deviceID)
            return .removeTrustedDevice(RemoveTrustedDeviceResponse())
        case .disableMfa(let r):
            try await service.disableMFA(sessionToken: r.sessionToken, password: r.password)
            return .disableMfa(DisableMfaResponse())
        case .changePassword(let r):
            try await service.changePassword(sessionToken: r.sessionToken, oldPassword: r.oldPassword, newPassword: r.newPassword)
            return .changePassword(ChangePasswordResponse())
        case .resetMfa(let r):
            try await service.resetMFA(accountID: r.accountID)
            return .resetMfa(ResetMfaResponse())
        case .verifyContact(let r):
            let verified = try await service.verifyContact(accountID: r.accountID, channel: r.channel, code: r.code)
            return .verifyContact(VerifyContactResponse(emailVerified: verified.email, phoneVerified: verified.phone))
        case .resendContactCode(let r):
            let outcome = try await service.resendContactCode(accountID: r.accountID, channel: r.channel)
            return .resendContactCode(ResendContactCodeResponse(codeExpiresUnix: outcome.codeExpiresAt.unixSeconds,
                                                                resendsRemaining: UInt32(clamping: outcome.resendsRemaining)))
        case .inviteUser(let r):
            let invitation = try await service.inviteUser(workspace: r.workspace, email: r.email, inviterSessionToken: r.inviterSessionToken)
            return .inviteUser(InviteUserResponse(invitationID: invitation.id, expiresUnix: invitation.expiresAt.unixSeconds))
        case .acceptInvite(let r):
            return .acceptInvite(AcceptInviteResponse(accountID: try await service.acceptInvite(token: r.token, password: r.password)))
        case .advanceClock(let r):
            let now = try await service.advanceClock(seconds: r.seconds)
            return .advanceClock(AdvanceClockResponse(nowUnix: now.unixSeconds))
        case .readOutbox:
            return .readOutbox(ReadOutboxResponse(messages: try await service.readOutbox().map(MFAWire.OutboxMessage.init)))
        }
    }
}
