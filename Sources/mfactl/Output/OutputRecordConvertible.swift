import MFACtlSupport
import MFAWire

/// A message `mfactl` can print: it lists its fields, in proto order and under proto names, as an
/// ``OutputRecord``; ``OutputOptions`` renders that for people or as JSON.
///
/// This file is the only place that says which fields a response shows. Secrets the user typed
/// (passwords) never appear: only responses are printed, and no response carries one.
protocol OutputRecordConvertible {
    /// The fields to print, in order.
    var outputRecord: OutputRecord { get }
}

extension ServerInfoResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "version": .string(version),
            "protocol_version": .number(protocolVersion),
            "uptime_seconds": .number(uptimeSeconds),
            "test_mode": .bool(testMode),
            "rpcs": .strings(rpcs),
        ]
    }
}

extension CreateAccountResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord { ["account_id": .string(accountID)] }
}

extension LoginResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "session_token": .string(sessionToken),
            "challenge_id": .string(challengeID),
            "methods": .strings(methods),
            "reason": .string(reason),
            "mfa_reminder": .bool(mfaReminder),
            "session_expires_unix": .time(sessionExpiresUnix),
        ]
    }
}

extension VerifyMfaResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "session_token": .string(sessionToken),
            "device_token": .string(deviceToken),
            "session_expires_unix": .time(sessionExpiresUnix),
        ]
    }
}

extension ResendCodeResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "code_expires_unix": .time(codeExpiresUnix),
            "resends_remaining": .number(resendsRemaining),
        ]
    }
}

extension VerifyLinkResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "session_token": .string(sessionToken),
            "session_expires_unix": .time(sessionExpiresUnix),
        ]
    }
}

extension ValidateSessionResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "account_id": .string(accountID),
            "email": .string(email),
            "plan": .string(plan),
            "workspace": .string(workspace),
            "expires_unix": .time(expiresUnix),
        ]
    }
}

extension LogoutResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord { OutputRecord() }
}

extension GetMfaStatusResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "totp_enabled": .bool(totpEnabled),
            "mfa_enforced": .bool(mfaEnforced),
            "enforce_from_unix": .time(enforceFromUnix),
            "methods": .strings(methods),
            "locked": .bool(locked),
            "retry_after_seconds": .number(retryAfterSeconds),
            "locked_until_support": .bool(lockedUntilSupport),
            "attempts_remaining": .number(attemptsRemaining),
            "trusted_devices": .number(trustedDevices),
        ]
    }
}

extension EnforcementPolicy: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "global_enforce_from_unix": .time(globalEnforceFromUnix),
            "workspaces": .records(workspaces.map(\.outputRecord)),
            "exempt_plans": .strings(exemptPlans),
            "grace_logins": .number(graceLogins),
            "grace_days": .number(graceDays),
        ]
    }
}

extension WorkspaceEnforcement: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "workspace": .string(workspace),
            "enforce_from_unix": .time(enforceFromUnix),
        ]
    }
}

extension SetEnforcementPolicyResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord { ["policy": .record((policy ?? EnforcementPolicy()).outputRecord)] }
}

extension GetEnforcementPolicyResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord { ["policy": .record((policy ?? EnforcementPolicy()).outputRecord)] }
}

extension UnlockAccountResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord { OutputRecord() }
}

extension ListAuditEventsResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord { ["events": .records(events.map(\.outputRecord))] }
}

extension AuditEvent: OutputRecordConvertible {
    var outputRecord: OutputRecord {
        [
            "id": .number(id),
            "time_unix": .time(timeUnix),
            "account_id": .string(accountID),
            "kind": .string(kind),
            "detail": .string(detail),
        ]
    }
}

extension AdvanceClockResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord { ["now_unix": .time(nowUnix)] }
}

extension ReadOutboxResponse: OutputRecordConvertible {
    var outputRecord: OutputRecord { ["messages": .records(messages.map(\.outputRecord))] }
}

extension OutboxMessage: OutputRecordConvertible {
    /// The order people scan an outbox in: which message, where it went, what it carries.
    var outputRecord: OutputRecord {
        [
            "id": .number(id),
            "state": .string(state),
            "channel": .string(channel),
            "to": .string(to),
            "subject": .string(subject),
            "code": .string(code),
            "link_token": .string(linkToken),
            "created_unix": .time(createdUnix),
            "body": .string(body),
        ]
    }
}
