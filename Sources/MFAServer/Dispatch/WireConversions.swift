import MFACore
import MFAWire

// Core values as wire messages. One initialiser per message, used by the dispatcher.

extension ErrorDetails {
    /// The wire form of a service error.
    init(_ error: MFAError) {
        self.init(code: ErrorCode(error.code), message: error.message,
                  attemptsRemaining: UInt32(clamping: error.attemptsRemaining),
                  retryAfterSeconds: UInt32(clamping: error.retryAfterSeconds))
    }
}

extension ErrorCode {
    init(_ code: MFAError.Code) {
        switch code {
        case .invalidArgument: self = .invalidArgument
        case .invalidCredentials: self = .invalidCredentials
        case .invalidCode: self = .invalidCode
        case .codeExpired: self = .codeExpired
        case .locked: self = .locked
        case .rateLimited: self = .rateLimited
        case .notFound: self = .notFound
        case .alreadyExists: self = .alreadyExists
        case .failedPrecondition: self = .failedPrecondition
        case .mfaEnforced: self = .mfaEnforced
        case .invalidSession: self = .invalidSession
        case .unauthenticated: self = .unauthenticated
        case .unimplemented: self = .unimplemented
        case .unavailable: self = .unavailable
        }
    }
}

extension GetMfaStatusResponse {
    init(_ status: MFAStatus) {
        self.init(totpEnabled: status.totpEnabled, mfaEnforced: status.mfaEnforced,
                  enforceFromUnix: status.enforceFrom?.unixSeconds ?? 0, methods: status.methods.map(\.rawValue),
                  locked: status.locked, retryAfterSeconds: UInt32(clamping: status.retryAfterSeconds),
                  lockedUntilSupport: status.lockedUntilSupport, attemptsRemaining: UInt32(clamping: status.attemptsRemaining),
                  trustedDevices: UInt32(clamping: status.trustedDevices))
    }
}

extension MFAWire.EnforcementPolicy {
    init(_ policy: MFACore.EnforcementPolicy) {
        self.init(globalEnforceFromUnix: policy.globalEnforceFrom?.unixSeconds ?? 0,
                  workspaces: policy.workspaceEnforceFrom.sorted { $0.key < $1.key }.map {
                      WorkspaceEnforcement(workspace: $0.key, enforceFromUnix: $0.value.unixSeconds)
                  },
                  exemptPlans: policy.exemptPlans.sorted(),
                  graceLogins: UInt32(clamping: policy.graceLogins), graceDays: UInt32(clamping: policy.graceDays))
    }
}

extension MFAWire.AuditEvent {
    init(_ event: AuditRecord) {
        self.init(id: UInt64(clamping: event.id), timeUnix: event.at.unixSeconds, accountID: event.accountID,
                  kind: event.kind.rawValue, detail: event.detail)
    }
}

extension MFAWire.OutboxMessage {
    init(_ message: OpenedOutboxMessage) {
        let record = message.record
        self.init(id: UInt64(clamping: record.id), to: record.recipient, channel: record.channel, subject: record.subject,
                  body: message.content.body, code: message.content.code, linkToken: message.content.linkToken,
                  createdUnix: record.createdAt.unixSeconds, state: record.state.rawValue)
    }
}

extension TrustedDevice {
    init(_ device: TrustedDeviceRecord) {
        self.init(deviceID: device.id, label: device.label, createdUnix: device.createdAt.unixSeconds,
                  lastUsedUnix: device.lastUsedAt.unixSeconds, expiresUnix: device.expiresAt.unixSeconds)
    }
}
