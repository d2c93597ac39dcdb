import MFACore
import MFAQRCode
import MFAWire
import NIOCore

/// Answers the MFA calls by translating between wire messages and `MFAService`. Each served call
/// runs as a task on the connection's event loop (the service awaits storage and password
/// hashing) and its future completes when it is done; what is decided before any waiting (a
/// rate-limited `Authenticate`, a call no dispatcher serves) is answered at once.
///
/// The production calls only: the test-mode RPCs (SPEC 4.3) are served by a `TestModeDispatcher`
/// given as `next` when the server runs with `--test-mode`. Without one, every call this
/// dispatcher has no handler for is answered `UNIMPLEMENTED` (`unservedAnswer`).
public struct ServiceDispatcher: RequestDispatcher {
    /// The RPCs this dispatcher serves, in .proto order (`supportedRPCs` adds those of `next`).
    public static let rpcNames = [
        "Authenticate", "CreateAccount", "Login", "VerifyMfa", "ResendCode", "VerifyLink", "ValidateSession", "Logout",
        "GetMfaStatus", "SetEnforcementPolicy", "GetEnforcementPolicy", "UnlockAccount", "ListAuditEvents",
        "BeginTotpEnrollment", "ConfirmTotpEnrollment", "RegenerateRecoveryCodes", "ListTrustedDevices",
        "RemoveTrustedDevice", "DisableMfa", "ChangePassword", "ResetMfa", "VerifyContact", "ResendContactCode",
        "InviteUser", "AcceptInvite",
    ]

    /// The answer to a call that neither this dispatcher nor `next` serves. Outside test mode
    /// those are exactly the test-mode RPCs, hence the message (SPEC 4.3).
    public static let unservedAnswer = Response.Result.error(ErrorDetails(MFAService.testModeOnly))

    /// The service that decides.
    public let service: MFAService
    /// The API keys `Authenticate` checks.
    public let apiKeys: APIKeys
    /// Where calls this dispatcher does not serve go (the `TestModeDispatcher` in test mode).
    public let next: (any RequestDispatcher)?
    private let callerThrottle: CallerThrottle

    /// - Parameters:
    ///   - service: the service that decides.
    ///   - clock: the time for rate-limiting failed authentications.
    ///   - apiKeys: the API keys `Authenticate` checks.
    ///   - next: the dispatcher for calls not served here; nil answers them `unservedAnswer`.
    public init(service: MFAService, clock: any Clock, apiKeys: APIKeys, next: (any RequestDispatcher)? = nil) {
        self.service = service
        self.apiKeys = apiKeys
        self.next = next
        self.callerThrottle = CallerThrottle(clock: clock)
    }

    public var supportedRPCs: [String] {
        Self.rpcNames + (next?.supportedRPCs ?? [])
    }

    /// Starts the call's task, or answers at once what needs no waiting.
    /// - Parameters:
    ///   - call: the decoded call.
    ///   - context: the request's context; its task executor runs the task.
    /// - Returns: the pending answer of a served call; an immediate answer otherwise.
    public func dispatch(_ call: Request.Call, context: RequestContext) -> DispatchOutcome {
        switch call {
        case .ping, .serverInfo:
            return .answered(.error(.make(.unimplemented, "\(call.rpcName) is answered by the system dispatcher")))
        case .authenticate(let request):
            let peer = context.peerIP
            if let retryAfter = callerThrottle.retryAfter(peer: peer) {
                return .answered(.error(ErrorDetails(MFAError(
                    .rateLimited, "Too many failed authentications from this address. Please try again later.",
                    retryAfterSeconds: retryAfter))))
            }
            return context.answerLater(call) { () async throws(MFAError) -> Response.Result in
                try await authenticate(request, peer: peer)
            }
        default:
            if let work = work(for: call) {
                return context.answerLater(call, work)
            }
            return next?.dispatch(call, context: context) ?? .answered(Self.unservedAnswer)
        }
    }

    /// `Authenticate` (after the rate limit per peer address let it through).
    private func authenticate(_ request: AuthenticateRequest, peer: String) async throws(MFAError) -> Response.Result {
        do {
            let service = try await apiKeys.authenticate(service: request.service, apiKey: request.apiKey)
            callerThrottle.recordSuccess(peer: peer)
            return .authenticate(AuthenticateResponse(service: service))
        } catch {
            if error.code == .unauthenticated { callerThrottle.recordFailure(peer: peer) }
            throw error
        }
    }

    // One entry per RPC: decode the request's fields, call the service, encode the answer.
    // nil: not served here (Ping, ServerInfo, Authenticate are handled above).
    private func work(for call: Request.Call) -> ServiceWork? {
        let service = self.service
        switch call {
        case .createAccount(let r):
            return { () async throws(MFAError) -> Response.Result in
                let id = try await service.createAccount(NewAccount(email: r.email, password: r.password, phone: r.phone,
                                                                    plan: r.plan, workspace: r.workspace))
                return .createAccount(CreateAccountResponse(accountID: id))
            }
        case .login(let r):
            return { () async throws(MFAError) -> Response.Result in
                switch try await service.login(LoginAttempt(email: r.email, password: r.password, deviceToken: r.deviceToken,
                                                            clientInfo: r.clientInfo)) {
                case .session(let session, let reminder):
                    return .login(LoginResponse(sessionToken: session.token, mfaReminder: reminder,
                                                sessionExpiresUnix: session.expiresAt.unixSeconds))
                case .challenge(let challenge):
                    return .login(LoginResponse(challengeID: challenge.id, methods: challenge.methods.map(\.rawValue),
                                                reason: challenge.reason.rawValue))
                }
            }
        case .verifyMfa(let r):
            return { () async throws(MFAError) -> Response.Result in
                let session = try await service.verifyMfa(challengeID: r.challengeID, code: r.code, trustDevice: r.trustDevice,
                                                          deviceLabel: r.deviceLabel)
                return .verifyMfa(VerifyMfaResponse(sessionToken: session.token, deviceToken: session.deviceToken ?? "",
                                                    sessionExpiresUnix: session.expiresAt.unixSeconds))
            }
        case .resendCode(let r):
            return { () async throws(MFAError) -> Response.Result in
                let outcome = try await service.resendCode(challengeID: r.challengeID)
                return .resendCode(ResendCodeResponse(codeExpiresUnix: outcome.codeExpiresAt.unixSeconds,
                                                      resendsRemaining: UInt32(clamping: outcome.resendsRemaining)))
            }
        case .verifyLink(let r):
            return { () async throws(MFAError) -> Response.Result in
                let session = try await service.verifyLink(token: r.linkToken, trustDevice: r.trustDevice, deviceLabel: r.deviceLabel)
                return .verifyLink(VerifyLinkResponse(sessionToken: session.token, sessionExpiresUnix: session.expiresAt.unixSeconds,
                                                      deviceToken: session.deviceToken ?? ""))
            }
        case .validateSession(let r):
            return { () async throws(MFAError) -> Response.Result in
                let info = try await service.validateSession(token: r.sessionToken)
                return .validateSession(ValidateSessionResponse(accountID: info.accountID, email: info.email, plan: info.plan,
                                                                workspace: info.workspace, expiresUnix: info.expiresAt.unixSeconds))
            }
        case .logout(let r):
            return { () async throws(MFAError) -> Response.Result in
                try await service.logout(token: r.sessionToken)
                return .logout(LogoutResponse())
            }
        case .getMfaStatus(let r):
            return { () async throws(MFAError) -> Response.Result in
                return .getMfaStatus(GetMfaStatusResponse(try await service.mfaStatus(sessionToken: r.sessionToken)))
            }
        case .setEnforcementPolicy(let r):
            return { () async throws(MFAError) -> Response.Result in
                let policy = try await service.setEnforcementPolicy(try EnforcementChange(
                    workspace: r.workspace, enforceFromUnix: r.enforceFromUnix, clearEnforceFrom: r.clearEnforceFrom,
                    exemptPlans: r.exemptPlans, clearExemptPlans: r.clearExemptPlans,
                    graceLogins: Int(r.graceLogins), graceDays: Int(r.graceDays), clearGrace: r.clearGrace))
                return .setEnforcementPolicy(SetEnforcementPolicyResponse(policy: MFAWire.EnforcementPolicy(policy)))
            }
        case .getEnforcementPolicy:
            return { () async throws(MFAError) -> Response.Result in
                let policy = try await service.enforcementPolicy()
                return .getEnforcementPolicy(GetEnforcementPolicyResponse(policy: MFAWire.EnforcementPolicy(policy)))
            }
        case .unlockAccount(let r):
            return { () async throws(MFAError) -> Response.Result in
                try await service.unlockAccount(accountID: r.accountID)
                return .unlockAccount(UnlockAccountResponse())
            }
        case .listAuditEvents(let r):
            return { () async throws(MFAError) -> Response.Result in
                guard r.sinceUnix >= 0 else { throw .invalidArgument("since_unix: must not be negative") }
                let events = try await service.auditEvents(accountID: r.accountID, since: Timestamp(unixSeconds: r.sinceUnix),
                                                           limit: Int(r.limit))
                return .listAuditEvents(ListAuditEventsResponse(events: events.map(MFAWire.AuditEvent.init)))
            }
        case .beginTotpEnrollment(let r):
            return { () async throws(MFAError) -> Response.Result in
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
            }
        case .confirmTotpEnrollment(let r):
            return { () async throws(MFAError) -> Response.Result in
                let codes = try await service.confirmTOTPEnrollment(sessionToken: r.sessionToken, enrollmentID: r.enrollmentID, code: r.code)
                return .confirmTotpEnrollment(ConfirmTotpEnrollmentResponse(recoveryCodes: codes))
            }
        case .regenerateRecoveryCodes(let r):
            return { () async throws(MFAError) -> Response.Result in
                let codes = try await service.regenerateRecoveryCodes(sessionToken: r.sessionToken, password: r.password)
                return .regenerateRecoveryCodes(RegenerateRecoveryCodesResponse(recoveryCodes: codes))
            }
        case .listTrustedDevices(let r):
            return { () async throws(MFAError) -> Response.Result in
                let devices = try await service.trustedDevices(sessionToken: r.sessionToken)
                return .listTrustedDevices(ListTrustedDevicesResponse(devices: devices.map(TrustedDevice.init)))
            }
        case .removeTrustedDevice(let r):
            return { () async throws(MFAError) -> Response.Result in
                try await service.removeTrustedDevice(sessionToken: r.sessionToken, deviceID: r.deviceID)
                return .removeTrustedDevice(RemoveTrustedDeviceResponse())
            }
        case .disableMfa(let r):
            return { () async throws(MFAError) -> Response.Result in
                try await service.disableMFA(sessionToken: r.sessionToken, password: r.password)
                return .disableMfa(DisableMfaResponse())
            }
        case .changePassword(let r):
            return { () async throws(MFAError) -> Response.Result in
                try await service.changePassword(sessionToken: r.sessionToken, oldPassword: r.oldPassword, newPassword: r.newPassword)
                return .changePassword(ChangePasswordResponse())
            }
        case .resetMfa(let r):
            return { () async throws(MFAError) -> Response.Result in
                try await service.resetMFA(accountID: r.accountID)
                return .resetMfa(ResetMfaResponse())
            }
        case .verifyContact(let r):
            return { () async throws(MFAError) -> Response.Result in
                let verified = try await service.verifyContact(accountID: r.accountID, channel: r.channel, code: r.code)
                return .verifyContact(VerifyContactResponse(emailVerified: verified.email, phoneVerified: verified.phone))
            }
        case .resendContactCode(let r):
            return { () async throws(MFAError) -> Response.Result in
                let outcome = try await service.resendContactCode(accountID: r.accountID, channel: r.channel)
                return .resendContactCode(ResendContactCodeResponse(codeExpiresUnix: outcome.codeExpiresAt.unixSeconds,
                                                                    resendsRemaining: UInt32(clamping: outcome.resendsRemaining)))
            }
        case .inviteUser(let r):
            return { () async throws(MFAError) -> Response.Result in
                let invitation = try await service.inviteUser(workspace: r.workspace, email: r.email, inviterSessionToken: r.inviterSessionToken)
                return .inviteUser(InviteUserResponse(invitationID: invitation.id, expiresUnix: invitation.expiresAt.unixSeconds))
            }
        case .acceptInvite(let r):
            return { () async throws(MFAError) -> Response.Result in
                return .acceptInvite(AcceptInviteResponse(accountID: try await service.acceptInvite(token: r.token, password: r.password)))
            }
        default:
            return nil
        }
    }
}
