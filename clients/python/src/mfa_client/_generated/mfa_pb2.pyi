from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
ERROR_CODE_ALREADY_EXISTS: ErrorCode
ERROR_CODE_CODE_EXPIRED: ErrorCode
ERROR_CODE_FAILED_PRECONDITION: ErrorCode
ERROR_CODE_FRAME_TOO_LARGE: ErrorCode
ERROR_CODE_INTERNAL: ErrorCode
ERROR_CODE_INVALID_ARGUMENT: ErrorCode
ERROR_CODE_INVALID_CODE: ErrorCode
ERROR_CODE_INVALID_CREDENTIALS: ErrorCode
ERROR_CODE_INVALID_SESSION: ErrorCode
ERROR_CODE_LOCKED: ErrorCode
ERROR_CODE_MALFORMED_FRAME: ErrorCode
ERROR_CODE_MFA_ENFORCED: ErrorCode
ERROR_CODE_NOT_FOUND: ErrorCode
ERROR_CODE_RATE_LIMITED: ErrorCode
ERROR_CODE_UNAUTHENTICATED: ErrorCode
ERROR_CODE_UNAVAILABLE: ErrorCode
ERROR_CODE_UNIMPLEMENTED: ErrorCode
ERROR_CODE_UNSPECIFIED: ErrorCode
ERROR_CODE_UNSUPPORTED_VERSION: ErrorCode

class AcceptInviteRequest(_message.Message):
    __slots__ = ["password", "token"]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    password: str
    token: str
    def __init__(self, token: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class AcceptInviteResponse(_message.Message):
    __slots__ = ["account_id"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    def __init__(self, account_id: _Optional[str] = ...) -> None: ...

class AdvanceClockRequest(_message.Message):
    __slots__ = ["seconds"]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    seconds: int
    def __init__(self, seconds: _Optional[int] = ...) -> None: ...

class AdvanceClockResponse(_message.Message):
    __slots__ = ["now_unix"]
    NOW_UNIX_FIELD_NUMBER: _ClassVar[int]
    now_unix: int
    def __init__(self, now_unix: _Optional[int] = ...) -> None: ...

class AuditEvent(_message.Message):
    __slots__ = ["account_id", "detail", "id", "kind", "time_unix"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TIME_UNIX_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    detail: str
    id: int
    kind: str
    time_unix: int
    def __init__(self, id: _Optional[int] = ..., time_unix: _Optional[int] = ..., account_id: _Optional[str] = ..., kind: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class AuthenticateRequest(_message.Message):
    __slots__ = ["api_key", "service"]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    api_key: str
    service: str
    def __init__(self, service: _Optional[str] = ..., api_key: _Optional[str] = ...) -> None: ...

class AuthenticateResponse(_message.Message):
    __slots__ = ["service"]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    service: str
    def __init__(self, service: _Optional[str] = ...) -> None: ...

class BeginTotpEnrollmentRequest(_message.Message):
    __slots__ = ["password", "session_token"]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    password: str
    session_token: str
    def __init__(self, session_token: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class BeginTotpEnrollmentResponse(_message.Message):
    __slots__ = ["enrollment_id", "expires_unix", "otpauth_uri", "qr_png", "qr_svg", "secret"]
    ENROLLMENT_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_UNIX_FIELD_NUMBER: _ClassVar[int]
    OTPAUTH_URI_FIELD_NUMBER: _ClassVar[int]
    QR_PNG_FIELD_NUMBER: _ClassVar[int]
    QR_SVG_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    enrollment_id: str
    expires_unix: int
    otpauth_uri: str
    qr_png: bytes
    qr_svg: str
    secret: str
    def __init__(self, enrollment_id: _Optional[str] = ..., secret: _Optional[str] = ..., otpauth_uri: _Optional[str] = ..., qr_png: _Optional[bytes] = ..., qr_svg: _Optional[str] = ..., expires_unix: _Optional[int] = ...) -> None: ...

class ChangePasswordRequest(_message.Message):
    __slots__ = ["new_password", "old_password", "session_token"]
    NEW_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    OLD_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    new_password: str
    old_password: str
    session_token: str
    def __init__(self, session_token: _Optional[str] = ..., old_password: _Optional[str] = ..., new_password: _Optional[str] = ...) -> None: ...

class ChangePasswordResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ConfirmTotpEnrollmentRequest(_message.Message):
    __slots__ = ["code", "enrollment_id", "session_token"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    ENROLLMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    code: str
    enrollment_id: str
    session_token: str
    def __init__(self, session_token: _Optional[str] = ..., enrollment_id: _Optional[str] = ..., code: _Optional[str] = ...) -> None: ...

class ConfirmTotpEnrollmentResponse(_message.Message):
    __slots__ = ["recovery_codes"]
    RECOVERY_CODES_FIELD_NUMBER: _ClassVar[int]
    recovery_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, recovery_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateAccountRequest(_message.Message):
    __slots__ = ["email", "password", "phone", "plan", "workspace"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_FIELD_NUMBER: _ClassVar[int]
    email: str
    password: str
    phone: str
    plan: str
    workspace: str
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ..., phone: _Optional[str] = ..., plan: _Optional[str] = ..., workspace: _Optional[str] = ...) -> None: ...

class CreateAccountResponse(_message.Message):
    __slots__ = ["account_id"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    def __init__(self, account_id: _Optional[str] = ...) -> None: ...

class DisableMfaRequest(_message.Message):
    __slots__ = ["password", "session_token"]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    password: str
    session_token: str
    def __init__(self, session_token: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class DisableMfaResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class EnforcementPolicy(_message.Message):
    __slots__ = ["exempt_plans", "global_enforce_from_unix", "grace_days", "grace_logins", "workspaces"]
    EXEMPT_PLANS_FIELD_NUMBER: _ClassVar[int]
    GLOBAL_ENFORCE_FROM_UNIX_FIELD_NUMBER: _ClassVar[int]
    GRACE_DAYS_FIELD_NUMBER: _ClassVar[int]
    GRACE_LOGINS_FIELD_NUMBER: _ClassVar[int]
    WORKSPACES_FIELD_NUMBER: _ClassVar[int]
    exempt_plans: _containers.RepeatedScalarFieldContainer[str]
    global_enforce_from_unix: int
    grace_days: int
    grace_logins: int
    workspaces: _containers.RepeatedCompositeFieldContainer[WorkspaceEnforcement]
    def __init__(self, global_enforce_from_unix: _Optional[int] = ..., workspaces: _Optional[_Iterable[_Union[WorkspaceEnforcement, _Mapping]]] = ..., exempt_plans: _Optional[_Iterable[str]] = ..., grace_logins: _Optional[int] = ..., grace_days: _Optional[int] = ...) -> None: ...

class Error(_message.Message):
    __slots__ = ["attempts_remaining", "code", "message", "retry_after_seconds"]
    ATTEMPTS_REMAINING_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    attempts_remaining: int
    code: ErrorCode
    message: str
    retry_after_seconds: int
    def __init__(self, code: _Optional[_Union[ErrorCode, str]] = ..., message: _Optional[str] = ..., attempts_remaining: _Optional[int] = ..., retry_after_seconds: _Optional[int] = ...) -> None: ...

class GetEnforcementPolicyRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetEnforcementPolicyResponse(_message.Message):
    __slots__ = ["policy"]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: EnforcementPolicy
    def __init__(self, policy: _Optional[_Union[EnforcementPolicy, _Mapping]] = ...) -> None: ...

class GetMfaStatusRequest(_message.Message):
    __slots__ = ["session_token"]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    def __init__(self, session_token: _Optional[str] = ...) -> None: ...

class GetMfaStatusResponse(_message.Message):
    __slots__ = ["attempts_remaining", "enforce_from_unix", "locked", "locked_until_support", "methods", "mfa_enforced", "retry_after_seconds", "totp_enabled", "trusted_devices"]
    ATTEMPTS_REMAINING_FIELD_NUMBER: _ClassVar[int]
    ENFORCE_FROM_UNIX_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    LOCKED_UNTIL_SUPPORT_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    MFA_ENFORCED_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TOTP_ENABLED_FIELD_NUMBER: _ClassVar[int]
    TRUSTED_DEVICES_FIELD_NUMBER: _ClassVar[int]
    attempts_remaining: int
    enforce_from_unix: int
    locked: bool
    locked_until_support: bool
    methods: _containers.RepeatedScalarFieldContainer[str]
    mfa_enforced: bool
    retry_after_seconds: int
    totp_enabled: bool
    trusted_devices: int
    def __init__(self, totp_enabled: bool = ..., mfa_enforced: bool = ..., enforce_from_unix: _Optional[int] = ..., methods: _Optional[_Iterable[str]] = ..., locked: bool = ..., retry_after_seconds: _Optional[int] = ..., locked_until_support: bool = ..., attempts_remaining: _Optional[int] = ..., trusted_devices: _Optional[int] = ...) -> None: ...

class InviteUserRequest(_message.Message):
    __slots__ = ["email", "inviter_session_token", "workspace"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    INVITER_SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_FIELD_NUMBER: _ClassVar[int]
    email: str
    inviter_session_token: str
    workspace: str
    def __init__(self, workspace: _Optional[str] = ..., email: _Optional[str] = ..., inviter_session_token: _Optional[str] = ...) -> None: ...

class InviteUserResponse(_message.Message):
    __slots__ = ["expires_unix", "invitation_id"]
    EXPIRES_UNIX_FIELD_NUMBER: _ClassVar[int]
    INVITATION_ID_FIELD_NUMBER: _ClassVar[int]
    expires_unix: int
    invitation_id: str
    def __init__(self, invitation_id: _Optional[str] = ..., expires_unix: _Optional[int] = ...) -> None: ...

class ListAuditEventsRequest(_message.Message):
    __slots__ = ["account_id", "limit", "since_unix"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    SINCE_UNIX_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    limit: int
    since_unix: int
    def __init__(self, account_id: _Optional[str] = ..., since_unix: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ListAuditEventsResponse(_message.Message):
    __slots__ = ["events"]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[AuditEvent]
    def __init__(self, events: _Optional[_Iterable[_Union[AuditEvent, _Mapping]]] = ...) -> None: ...

class ListTrustedDevicesRequest(_message.Message):
    __slots__ = ["session_token"]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    def __init__(self, session_token: _Optional[str] = ...) -> None: ...

class ListTrustedDevicesResponse(_message.Message):
    __slots__ = ["devices"]
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    devices: _containers.RepeatedCompositeFieldContainer[TrustedDevice]
    def __init__(self, devices: _Optional[_Iterable[_Union[TrustedDevice, _Mapping]]] = ...) -> None: ...

class LoginRequest(_message.Message):
    __slots__ = ["client_info", "device_token", "email", "password"]
    CLIENT_INFO_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    client_info: str
    device_token: str
    email: str
    password: str
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ..., device_token: _Optional[str] = ..., client_info: _Optional[str] = ...) -> None: ...

class LoginResponse(_message.Message):
    __slots__ = ["challenge_id", "methods", "mfa_reminder", "reason", "session_expires_unix", "session_token"]
    CHALLENGE_ID_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    MFA_REMINDER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SESSION_EXPIRES_UNIX_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    challenge_id: str
    methods: _containers.RepeatedScalarFieldContainer[str]
    mfa_reminder: bool
    reason: str
    session_expires_unix: int
    session_token: str
    def __init__(self, session_token: _Optional[str] = ..., challenge_id: _Optional[str] = ..., methods: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ..., mfa_reminder: bool = ..., session_expires_unix: _Optional[int] = ...) -> None: ...

class LogoutRequest(_message.Message):
    __slots__ = ["session_token"]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    def __init__(self, session_token: _Optional[str] = ...) -> None: ...

class LogoutResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class OutboxMessage(_message.Message):
    __slots__ = ["body", "channel", "code", "created_unix", "id", "link_token", "state", "subject", "to"]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    CREATED_UNIX_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LINK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    body: str
    channel: str
    code: str
    created_unix: int
    id: int
    link_token: str
    state: str
    subject: str
    to: str
    def __init__(self, id: _Optional[int] = ..., to: _Optional[str] = ..., channel: _Optional[str] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., code: _Optional[str] = ..., link_token: _Optional[str] = ..., created_unix: _Optional[int] = ..., state: _Optional[str] = ...) -> None: ...

class PingRequest(_message.Message):
    __slots__ = ["payload"]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    payload: bytes
    def __init__(self, payload: _Optional[bytes] = ...) -> None: ...

class PingResponse(_message.Message):
    __slots__ = ["payload"]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    payload: bytes
    def __init__(self, payload: _Optional[bytes] = ...) -> None: ...

class ReadOutboxRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ReadOutboxResponse(_message.Message):
    __slots__ = ["messages"]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[OutboxMessage]
    def __init__(self, messages: _Optional[_Iterable[_Union[OutboxMessage, _Mapping]]] = ...) -> None: ...

class RegenerateRecoveryCodesRequest(_message.Message):
    __slots__ = ["password", "session_token"]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    password: str
    session_token: str
    def __init__(self, session_token: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class RegenerateRecoveryCodesResponse(_message.Message):
    __slots__ = ["recovery_codes"]
    RECOVERY_CODES_FIELD_NUMBER: _ClassVar[int]
    recovery_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, recovery_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveTrustedDeviceRequest(_message.Message):
    __slots__ = ["device_id", "session_token"]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    session_token: str
    def __init__(self, session_token: _Optional[str] = ..., device_id: _Optional[str] = ...) -> None: ...

class RemoveTrustedDeviceResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class Request(_message.Message):
    __slots__ = ["accept_invite", "advance_clock", "authenticate", "begin_totp_enrollment", "change_password", "confirm_totp_enrollment", "create_account", "disable_mfa", "get_enforcement_policy", "get_mfa_status", "id", "invite_user", "list_audit_events", "list_trusted_devices", "login", "logout", "ping", "protocol_version", "read_outbox", "regenerate_recovery_codes", "remove_trusted_device", "resend_code", "resend_contact_code", "reset_mfa", "server_info", "set_enforcement_policy", "unlock_account", "validate_session", "verify_contact", "verify_link", "verify_mfa"]
    ACCEPT_INVITE_FIELD_NUMBER: _ClassVar[int]
    ADVANCE_CLOCK_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATE_FIELD_NUMBER: _ClassVar[int]
    BEGIN_TOTP_ENROLLMENT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    CONFIRM_TOTP_ENROLLMENT_FIELD_NUMBER: _ClassVar[int]
    CREATE_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    DISABLE_MFA_FIELD_NUMBER: _ClassVar[int]
    GET_ENFORCEMENT_POLICY_FIELD_NUMBER: _ClassVar[int]
    GET_MFA_STATUS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INVITE_USER_FIELD_NUMBER: _ClassVar[int]
    LIST_AUDIT_EVENTS_FIELD_NUMBER: _ClassVar[int]
    LIST_TRUSTED_DEVICES_FIELD_NUMBER: _ClassVar[int]
    LOGIN_FIELD_NUMBER: _ClassVar[int]
    LOGOUT_FIELD_NUMBER: _ClassVar[int]
    PING_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    READ_OUTBOX_FIELD_NUMBER: _ClassVar[int]
    REGENERATE_RECOVERY_CODES_FIELD_NUMBER: _ClassVar[int]
    REMOVE_TRUSTED_DEVICE_FIELD_NUMBER: _ClassVar[int]
    RESEND_CODE_FIELD_NUMBER: _ClassVar[int]
    RESEND_CONTACT_CODE_FIELD_NUMBER: _ClassVar[int]
    RESET_MFA_FIELD_NUMBER: _ClassVar[int]
    SERVER_INFO_FIELD_NUMBER: _ClassVar[int]
    SET_ENFORCEMENT_POLICY_FIELD_NUMBER: _ClassVar[int]
    UNLOCK_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_SESSION_FIELD_NUMBER: _ClassVar[int]
    VERIFY_CONTACT_FIELD_NUMBER: _ClassVar[int]
    VERIFY_LINK_FIELD_NUMBER: _ClassVar[int]
    VERIFY_MFA_FIELD_NUMBER: _ClassVar[int]
    accept_invite: AcceptInviteRequest
    advance_clock: AdvanceClockRequest
    authenticate: AuthenticateRequest
    begin_totp_enrollment: BeginTotpEnrollmentRequest
    change_password: ChangePasswordRequest
    confirm_totp_enrollment: ConfirmTotpEnrollmentRequest
    create_account: CreateAccountRequest
    disable_mfa: DisableMfaRequest
    get_enforcement_policy: GetEnforcementPolicyRequest
    get_mfa_status: GetMfaStatusRequest
    id: int
    invite_user: InviteUserRequest
    list_audit_events: ListAuditEventsRequest
    list_trusted_devices: ListTrustedDevicesRequest
    login: LoginRequest
    logout: LogoutRequest
    ping: PingRequest
    protocol_version: int
    read_outbox: ReadOutboxRequest
    regenerate_recovery_codes: RegenerateRecoveryCodesRequest
    remove_trusted_device: RemoveTrustedDeviceRequest
    resend_code: ResendCodeRequest
    resend_contact_code: ResendContactCodeRequest
    reset_mfa: ResetMfaRequest
    server_info: ServerInfoRequest
    set_enforcement_policy: SetEnforcementPolicyRequest
    unlock_account: UnlockAccountRequest
    validate_session: ValidateSessionRequest
    verify_contact: VerifyContactRequest
    verify_link: VerifyLinkRequest
    verify_mfa: VerifyMfaRequest
    def __init__(self, id: _Optional[int] = ..., protocol_version: _Optional[int] = ..., authenticate: _Optional[_Union[AuthenticateRequest, _Mapping]] = ..., ping: _Optional[_Union[PingRequest, _Mapping]] = ..., server_info: _Optional[_Union[ServerInfoRequest, _Mapping]] = ..., create_account: _Optional[_Union[CreateAccountRequest, _Mapping]] = ..., login: _Optional[_Union[LoginRequest, _Mapping]] = ..., verify_mfa: _Optional[_Union[VerifyMfaRequest, _Mapping]] = ..., resend_code: _Optional[_Union[ResendCodeRequest, _Mapping]] = ..., verify_link: _Optional[_Union[VerifyLinkRequest, _Mapping]] = ..., validate_session: _Optional[_Union[ValidateSessionRequest, _Mapping]] = ..., logout: _Optional[_Union[LogoutRequest, _Mapping]] = ..., get_mfa_status: _Optional[_Union[GetMfaStatusRequest, _Mapping]] = ..., set_enforcement_policy: _Optional[_Union[SetEnforcementPolicyRequest, _Mapping]] = ..., get_enforcement_policy: _Optional[_Union[GetEnforcementPolicyRequest, _Mapping]] = ..., unlock_account: _Optional[_Union[UnlockAccountRequest, _Mapping]] = ..., list_audit_events: _Optional[_Union[ListAuditEventsRequest, _Mapping]] = ..., begin_totp_enrollment: _Optional[_Union[BeginTotpEnrollmentRequest, _Mapping]] = ..., confirm_totp_enrollment: _Optional[_Union[ConfirmTotpEnrollmentRequest, _Mapping]] = ..., regenerate_recovery_codes: _Optional[_Union[RegenerateRecoveryCodesRequest, _Mapping]] = ..., list_trusted_devices: _Optional[_Union[ListTrustedDevicesRequest, _Mapping]] = ..., remove_trusted_device: _Optional[_Union[RemoveTrustedDeviceRequest, _Mapping]] = ..., disable_mfa: _Optional[_Union[DisableMfaRequest, _Mapping]] = ..., change_password: _Optional[_Union[ChangePasswordRequest, _Mapping]] = ..., reset_mfa: _Optional[_Union[ResetMfaRequest, _Mapping]] = ..., verify_contact: _Optional[_Union[VerifyContactRequest, _Mapping]] = ..., resend_contact_code: _Optional[_Union[ResendContactCodeRequest, _Mapping]] = ..., invite_user: _Optional[_Union[InviteUserRequest, _Mapping]] = ..., accept_invite: _Optional[_Union[AcceptInviteRequest, _Mapping]] = ..., advance_clock: _Optional[_Union[AdvanceClockRequest, _Mapping]] = ..., read_outbox: _Optional[_Union[ReadOutboxRequest, _Mapping]] = ...) -> None: ...

class ResendCodeRequest(_message.Message):
    __slots__ = ["challenge_id"]
    CHALLENGE_ID_FIELD_NUMBER: _ClassVar[int]
    challenge_id: str
    def __init__(self, challenge_id: _Optional[str] = ...) -> None: ...

class ResendCodeResponse(_message.Message):
    __slots__ = ["code_expires_unix", "resends_remaining"]
    CODE_EXPIRES_UNIX_FIELD_NUMBER: _ClassVar[int]
    RESENDS_REMAINING_FIELD_NUMBER: _ClassVar[int]
    code_expires_unix: int
    resends_remaining: int
    def __init__(self, code_expires_unix: _Optional[int] = ..., resends_remaining: _Optional[int] = ...) -> None: ...

class ResendContactCodeRequest(_message.Message):
    __slots__ = ["account_id", "channel"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    channel: str
    def __init__(self, account_id: _Optional[str] = ..., channel: _Optional[str] = ...) -> None: ...

class ResendContactCodeResponse(_message.Message):
    __slots__ = ["code_expires_unix", "resends_remaining"]
    CODE_EXPIRES_UNIX_FIELD_NUMBER: _ClassVar[int]
    RESENDS_REMAINING_FIELD_NUMBER: _ClassVar[int]
    code_expires_unix: int
    resends_remaining: int
    def __init__(self, code_expires_unix: _Optional[int] = ..., resends_remaining: _Optional[int] = ...) -> None: ...

class ResetMfaRequest(_message.Message):
    __slots__ = ["account_id"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    def __init__(self, account_id: _Optional[str] = ...) -> None: ...

class ResetMfaResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class Response(_message.Message):
    __slots__ = ["accept_invite", "advance_clock", "authenticate", "begin_totp_enrollment", "change_password", "confirm_totp_enrollment", "create_account", "disable_mfa", "error", "get_enforcement_policy", "get_mfa_status", "id", "invite_user", "list_audit_events", "list_trusted_devices", "login", "logout", "ping", "read_outbox", "regenerate_recovery_codes", "remove_trusted_device", "resend_code", "resend_contact_code", "reset_mfa", "server_info", "set_enforcement_policy", "unlock_account", "validate_session", "verify_contact", "verify_link", "verify_mfa"]
    ACCEPT_INVITE_FIELD_NUMBER: _ClassVar[int]
    ADVANCE_CLOCK_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATE_FIELD_NUMBER: _ClassVar[int]
    BEGIN_TOTP_ENROLLMENT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    CONFIRM_TOTP_ENROLLMENT_FIELD_NUMBER: _ClassVar[int]
    CREATE_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    DISABLE_MFA_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    GET_ENFORCEMENT_POLICY_FIELD_NUMBER: _ClassVar[int]
    GET_MFA_STATUS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INVITE_USER_FIELD_NUMBER: _ClassVar[int]
    LIST_AUDIT_EVENTS_FIELD_NUMBER: _ClassVar[int]
    LIST_TRUSTED_DEVICES_FIELD_NUMBER: _ClassVar[int]
    LOGIN_FIELD_NUMBER: _ClassVar[int]
    LOGOUT_FIELD_NUMBER: _ClassVar[int]
    PING_FIELD_NUMBER: _ClassVar[int]
    READ_OUTBOX_FIELD_NUMBER: _ClassVar[int]
    REGENERATE_RECOVERY_CODES_FIELD_NUMBER: _ClassVar[int]
    REMOVE_TRUSTED_DEVICE_FIELD_NUMBER: _ClassVar[int]
    RESEND_CODE_FIELD_NUMBER: _ClassVar[int]
    RESEND_CONTACT_CODE_FIELD_NUMBER: _ClassVar[int]
    RESET_MFA_FIELD_NUMBER: _ClassVar[int]
    SERVER_INFO_FIELD_NUMBER: _ClassVar[int]
    SET_ENFORCEMENT_POLICY_FIELD_NUMBER: _ClassVar[int]
    UNLOCK_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_SESSION_FIELD_NUMBER: _ClassVar[int]
    VERIFY_CONTACT_FIELD_NUMBER: _ClassVar[int]
    VERIFY_LINK_FIELD_NUMBER: _ClassVar[int]
    VERIFY_MFA_FIELD_NUMBER: _ClassVar[int]
    accept_invite: AcceptInviteResponse
    advance_clock: AdvanceClockResponse
    authenticate: AuthenticateResponse
    begin_totp_enrollment: BeginTotpEnrollmentResponse
    change_password: ChangePasswordResponse
    confirm_totp_enrollment: ConfirmTotpEnrollmentResponse
    create_account: CreateAccountResponse
    disable_mfa: DisableMfaResponse
    error: Error
    get_enforcement_policy: GetEnforcementPolicyResponse
    get_mfa_status: GetMfaStatusResponse
    id: int
    invite_user: InviteUserResponse
    list_audit_events: ListAuditEventsResponse
    list_trusted_devices: ListTrustedDevicesResponse
    login: LoginResponse
    logout: LogoutResponse
    ping: PingResponse
    read_outbox: ReadOutboxResponse
    regenerate_recovery_codes: RegenerateRecoveryCodesResponse
    remove_trusted_device: RemoveTrustedDeviceResponse
    resend_code: ResendCodeResponse
    resend_contact_code: ResendContactCodeResponse
    reset_mfa: ResetMfaResponse
    server_info: ServerInfoResponse
    set_enforcement_policy: SetEnforcementPolicyResponse
    unlock_account: UnlockAccountResponse
    validate_session: ValidateSessionResponse
    verify_contact: VerifyContactResponse
    verify_link: VerifyLinkResponse
    verify_mfa: VerifyMfaResponse
    def __init__(self, id: _Optional[int] = ..., error: _Optional[_Union[Error, _Mapping]] = ..., authenticate: _Optional[_Union[AuthenticateResponse, _Mapping]] = ..., ping: _Optional[_Union[PingResponse, _Mapping]] = ..., server_info: _Optional[_Union[ServerInfoResponse, _Mapping]] = ..., create_account: _Optional[_Union[CreateAccountResponse, _Mapping]] = ..., login: _Optional[_Union[LoginResponse, _Mapping]] = ..., verify_mfa: _Optional[_Union[VerifyMfaResponse, _Mapping]] = ..., resend_code: _Optional[_Union[ResendCodeResponse, _Mapping]] = ..., verify_link: _Optional[_Union[VerifyLinkResponse, _Mapping]] = ..., validate_session: _Optional[_Union[ValidateSessionResponse, _Mapping]] = ..., logout: _Optional[_Union[LogoutResponse, _Mapping]] = ..., get_mfa_status: _Optional[_Union[GetMfaStatusResponse, _Mapping]] = ..., set_enforcement_policy: _Optional[_Union[SetEnforcementPolicyResponse, _Mapping]] = ..., get_enforcement_policy: _Optional[_Union[GetEnforcementPolicyResponse, _Mapping]] = ..., unlock_account: _Optional[_Union[UnlockAccountResponse, _Mapping]] = ..., list_audit_events: _Optional[_Union[ListAuditEventsResponse, _Mapping]] = ..., begin_totp_enrollment: _Optional[_Union[BeginTotpEnrollmentResponse, _Mapping]] = ..., confirm_totp_enrollment: _Optional[_Union[ConfirmTotpEnrollmentResponse, _Mapping]] = ..., regenerate_recovery_codes: _Optional[_Union[RegenerateRecoveryCodesResponse, _Mapping]] = ..., list_trusted_devices: _Optional[_Union[ListTrustedDevicesResponse, _Mapping]] = ..., remove_trusted_device: _Optional[_Union[RemoveTrustedDeviceResponse, _Mapping]] = ..., disable_mfa: _Optional[_Union[DisableMfaResponse, _Mapping]] = ..., change_password: _Optional[_Union[ChangePasswordResponse, _Mapping]] = ..., reset_mfa: _Optional[_Union[ResetMfaResponse, _Mapping]] = ..., verify_contact: _Optional[_Union[VerifyContactResponse, _Mapping]] = ..., resend_contact_code: _Optional[_Union[ResendContactCodeResponse, _Mapping]] = ..., invite_user: _Optional[_Union[InviteUserResponse, _Mapping]] = ..., accept_invite: _Optional[_Union[AcceptInviteResponse, _Mapping]] = ..., advance_clock: _Optional[_Union[AdvanceClockResponse, _Mapping]] = ..., read_outbox: _Optional[_Union[ReadOutboxResponse, _Mapping]] = ...) -> None: ...

class ServerInfoRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ServerInfoResponse(_message.Message):
    __slots__ = ["protocol_version", "rpcs", "test_mode", "uptime_seconds", "version"]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    RPCS_FIELD_NUMBER: _ClassVar[int]
    TEST_MODE_FIELD_NUMBER: _ClassVar[int]
    UPTIME_SECONDS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    protocol_version: int
    rpcs: _containers.RepeatedScalarFieldContainer[str]
    test_mode: bool
    uptime_seconds: int
    version: str
    def __init__(self, version: _Optional[str] = ..., protocol_version: _Optional[int] = ..., uptime_seconds: _Optional[int] = ..., test_mode: bool = ..., rpcs: _Optional[_Iterable[str]] = ...) -> None: ...

class SetEnforcementPolicyRequest(_message.Message):
    __slots__ = ["clear_enforce_from", "clear_exempt_plans", "clear_grace", "enforce_from_unix", "exempt_plans", "grace_days", "grace_logins", "workspace"]
    CLEAR_ENFORCE_FROM_FIELD_NUMBER: _ClassVar[int]
    CLEAR_EXEMPT_PLANS_FIELD_NUMBER: _ClassVar[int]
    CLEAR_GRACE_FIELD_NUMBER: _ClassVar[int]
    ENFORCE_FROM_UNIX_FIELD_NUMBER: _ClassVar[int]
    EXEMPT_PLANS_FIELD_NUMBER: _ClassVar[int]
    GRACE_DAYS_FIELD_NUMBER: _ClassVar[int]
    GRACE_LOGINS_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_FIELD_NUMBER: _ClassVar[int]
    clear_enforce_from: bool
    clear_exempt_plans: bool
    clear_grace: bool
    enforce_from_unix: int
    exempt_plans: _containers.RepeatedScalarFieldContainer[str]
    grace_days: int
    grace_logins: int
    workspace: str
    def __init__(self, workspace: _Optional[str] = ..., enforce_from_unix: _Optional[int] = ..., exempt_plans: _Optional[_Iterable[str]] = ..., clear_exempt_plans: bool = ..., grace_logins: _Optional[int] = ..., grace_days: _Optional[int] = ..., clear_enforce_from: bool = ..., clear_grace: bool = ...) -> None: ...

class SetEnforcementPolicyResponse(_message.Message):
    __slots__ = ["policy"]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: EnforcementPolicy
    def __init__(self, policy: _Optional[_Union[EnforcementPolicy, _Mapping]] = ...) -> None: ...

class TrustedDevice(_message.Message):
    __slots__ = ["created_unix", "device_id", "expires_unix", "label", "last_used_unix"]
    CREATED_UNIX_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_UNIX_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_UNIX_FIELD_NUMBER: _ClassVar[int]
    created_unix: int
    device_id: str
    expires_unix: int
    label: str
    last_used_unix: int
    def __init__(self, device_id: _Optional[str] = ..., label: _Optional[str] = ..., created_unix: _Optional[int] = ..., last_used_unix: _Optional[int] = ..., expires_unix: _Optional[int] = ...) -> None: ...

class UnlockAccountRequest(_message.Message):
    __slots__ = ["account_id"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    def __init__(self, account_id: _Optional[str] = ...) -> None: ...

class UnlockAccountResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ValidateSessionRequest(_message.Message):
    __slots__ = ["session_token"]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    session_token: str
    def __init__(self, session_token: _Optional[str] = ...) -> None: ...

class ValidateSessionResponse(_message.Message):
    __slots__ = ["account_id", "email", "expires_unix", "plan", "workspace"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_UNIX_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    email: str
    expires_unix: int
    plan: str
    workspace: str
    def __init__(self, account_id: _Optional[str] = ..., email: _Optional[str] = ..., plan: _Optional[str] = ..., workspace: _Optional[str] = ..., expires_unix: _Optional[int] = ...) -> None: ...

class VerifyContactRequest(_message.Message):
    __slots__ = ["account_id", "channel", "code"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    channel: str
    code: str
    def __init__(self, account_id: _Optional[str] = ..., channel: _Optional[str] = ..., code: _Optional[str] = ...) -> None: ...

class VerifyContactResponse(_message.Message):
    __slots__ = ["email_verified", "phone_verified"]
    EMAIL_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    PHONE_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    email_verified: bool
    phone_verified: bool
    def __init__(self, email_verified: bool = ..., phone_verified: bool = ...) -> None: ...

class VerifyLinkRequest(_message.Message):
    __slots__ = ["device_label", "link_token", "trust_device"]
    DEVICE_LABEL_FIELD_NUMBER: _ClassVar[int]
    LINK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TRUST_DEVICE_FIELD_NUMBER: _ClassVar[int]
    device_label: str
    link_token: str
    trust_device: bool
    def __init__(self, link_token: _Optional[str] = ..., trust_device: bool = ..., device_label: _Optional[str] = ...) -> None: ...

class VerifyLinkResponse(_message.Message):
    __slots__ = ["device_token", "session_expires_unix", "session_token"]
    DEVICE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSION_EXPIRES_UNIX_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    device_token: str
    session_expires_unix: int
    session_token: str
    def __init__(self, session_token: _Optional[str] = ..., session_expires_unix: _Optional[int] = ..., device_token: _Optional[str] = ...) -> None: ...

class VerifyMfaRequest(_message.Message):
    __slots__ = ["challenge_id", "code", "device_label", "trust_device"]
    CHALLENGE_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_LABEL_FIELD_NUMBER: _ClassVar[int]
    TRUST_DEVICE_FIELD_NUMBER: _ClassVar[int]
    challenge_id: str
    code: str
    device_label: str
    trust_device: bool
    def __init__(self, challenge_id: _Optional[str] = ..., code: _Optional[str] = ..., trust_device: bool = ..., device_label: _Optional[str] = ...) -> None: ...

class VerifyMfaResponse(_message.Message):
    __slots__ = ["device_token", "session_expires_unix", "session_token"]
    DEVICE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSION_EXPIRES_UNIX_FIELD_NUMBER: _ClassVar[int]
    SESSION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    device_token: str
    session_expires_unix: int
    session_token: str
    def __init__(self, session_token: _Optional[str] = ..., device_token: _Optional[str] = ..., session_expires_unix: _Optional[int] = ...) -> None: ...

class WorkspaceEnforcement(_message.Message):
    __slots__ = ["enforce_from_unix", "workspace"]
    ENFORCE_FROM_UNIX_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_FIELD_NUMBER: _ClassVar[int]
    enforce_from_unix: int
    workspace: str
    def __init__(self, workspace: _Optional[str] = ..., enforce_from_unix: _Optional[int] = ...) -> None: ...

class ErrorCode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
