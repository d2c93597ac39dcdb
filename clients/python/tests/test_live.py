"""Both clients against a real `mfad --test-mode --seed 1`."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mfa_client import AsyncClient, Client, ErrorCode, MFAServerError
from support import TEST_CLOCK_START, Mfad, last_code, wrong_code

EMAIL = "ada@example.com"
PASSWORD = "correct horse battery"
PHONE = "+41791234567"

LOCKOUT = [
    (ErrorCode.ERROR_CODE_INVALID_CODE, "This code is invalid, please try again.", 2, 0),
    (ErrorCode.ERROR_CODE_INVALID_CODE, "Invalid code, your account will be locked after 3 incorrect attempts.", 1, 0),
    (ErrorCode.ERROR_CODE_LOCKED, "You've reached the maximum amount of attempts. Please try again in 5 min.", 0, 300),
]


class BlockingAsync:
    """Runs an AsyncClient on a loop in another thread and exposes its RPC methods as blocking
    calls, so that one scenario drives both clients through their generated methods."""

    def __init__(self, host: str, port: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = self._run(AsyncClient.connect(host, port, **Mfad.credentials))

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(120)

    def __getattr__(self, name):
        method = getattr(self.client, name)
        return lambda **fields: self._run(method(**fields))

    def close(self) -> None:
        self._run(self.client.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


def server_error(call, **fields) -> MFAServerError:
    with pytest.raises(MFAServerError) as raised:
        call(**fields)
    return raised.value


def signup_login_and_lockout(api) -> None:
    """SPEC 2 and 3 end to end, through the typed methods of `api`."""
    assert api.ping(payload=b"hello").payload == b"hello"
    account = api.create_account(
        email=EMAIL, password=PASSWORD, phone=PHONE, plan="pro", workspace="acme"
    ).account_id
    assert account

    # Login is refused until both contacts are confirmed.
    refused = server_error(api.login, email=EMAIL, password=PASSWORD)
    assert refused.code == ErrorCode.ERROR_CODE_FAILED_PRECONDITION
    outbox = api.read_outbox()
    for channel, to in (("email", EMAIL), ("sms", PHONE)):
        api.verify_contact(account_id=account, channel=channel, code=last_code(outbox, to, channel))

    policy = api.set_enforcement_policy(enforce_from_unix=TEST_CLOCK_START).policy
    assert policy.global_enforce_from_unix == TEST_CLOCK_START

    # MFA is enforced: a challenge, and the code by email.
    challenge = api.login(email=EMAIL, password=PASSWORD, client_info="pytest")
    assert challenge.challenge_id and not challenge.session_token
    assert list(challenge.methods) == ["email"]
    assert challenge.reason == "MFA_ENFORCED"
    code = last_code(api.read_outbox(), EMAIL, "email")
    verified = api.verify_mfa(
        challenge_id=challenge.challenge_id, code=code, trust_device=True, device_label="pytest laptop"
    )
    assert verified.session_token and verified.device_token
    session = api.validate_session(session_token=verified.session_token)
    assert (session.account_id, session.email, session.workspace) == (account, EMAIL, "acme")

    # The trusted device logs in without a code, and no email is sent.
    queued = len(api.read_outbox().messages)
    again = api.login(email=EMAIL, password=PASSWORD, device_token=verified.device_token)
    assert again.session_token and not again.challenge_id
    assert len(api.read_outbox().messages) == queued

    # Three wrong codes on a fresh challenge: the exact messages of SPEC 2.3.
    fresh = api.login(email=EMAIL, password=PASSWORD)
    assert fresh.challenge_id
    code = last_code(api.read_outbox(), EMAIL, "email")
    for expected in LOCKOUT:
        error = server_error(api.verify_mfa, challenge_id=fresh.challenge_id, code=wrong_code(code))
        assert (error.code, error.message, error.attempts_remaining, error.retry_after_seconds) == expected
    assert error.code.name == "ERROR_CODE_LOCKED" and int(error.code) == 12 and error.code_name == "LOCKED"

    # While locked, the right code gets the same answer; after 5 minutes it works.
    locked = server_error(api.verify_mfa, challenge_id=fresh.challenge_id, code=code)
    assert (locked.code, locked.message) == LOCKOUT[2][:2]
    api.advance_clock(seconds=300)
    assert api.verify_mfa(challenge_id=fresh.challenge_id, code=code).session_token

    # The connection stayed usable after every error.
    assert api.ping(payload=b"still here").payload == b"still here"


def test_blocking_client_signup_login_trusted_device_and_lockout(mfad):
    with Client(mfad.host, mfad.port, timeout=60, **mfad.credentials) as api:
        signup_login_and_lockout(api)


def test_async_client_signup_login_trusted_device_and_lockout(mfad):
    api = BlockingAsync(mfad.host, mfad.port)
    try:
        signup_login_and_lockout(api)
    finally:
        api.close()


def test_generic_call_by_name(mfad):
    with Client(mfad.host, mfad.port, **mfad.credentials) as api:
        assert api.call("ping", payload=b"a").payload == b"a"
        assert api.call("Ping", payload=b"b").payload == b"b"
        from mfa_client import pb

        assert api.call(pb.PingRequest(payload=b"c")).payload == b"c"
        info = api.call("server_info")
        assert info.protocol_version == 1 and info.test_mode
        assert "VerifyMfa" in info.rpcs


def test_async_pipelining_many_calls_in_flight(mfad):
    async def main():
        async with await AsyncClient.connect(mfad.host, mfad.port, timeout=60, **mfad.credentials) as client:
            finished = []

            async def tracked(label, coroutine):
                result = await coroutine
                finished.append(label)
                return result

            # Sent first, answered last: Argon2id makes CreateAccount much slower than Ping.
            slow = asyncio.ensure_future(tracked("create", client.create_account(
                email="bob@example.com", password=PASSWORD, phone=PHONE, plan="pro", workspace="acme")))
            pings = [asyncio.ensure_future(tracked(i, client.ping(payload=b"%d" % i))) for i in range(200)]
            # Explicit ids, out of order.
            explicit = [asyncio.ensure_future(client.ping(payload=b"x%d" % i, request_id=10_000 - i))
                        for i in range(5)]
            await asyncio.sleep(0)
            assert client.in_flight == 206  # every frame is out before any answer is read
            results = await asyncio.gather(slow, *pings, *explicit)
            assert results[0].account_id
            assert [r.payload for r in results[1:201]] == [b"%d" % i for i in range(200)]
            assert [r.payload for r in results[201:]] == [b"x%d" % i for i in range(5)]
            assert finished.index("create") > 0, "responses were matched by id, not by order"
            assert client.in_flight == 0

            # Errors are matched to their call too; the others still succeed.
            outcomes = await asyncio.gather(
                client.login(email="nobody@example.com", password="wrong password"),
                client.ping(payload=b"ok"),
                return_exceptions=True,
            )
            assert isinstance(outcomes[0], MFAServerError)
            assert outcomes[0].code == ErrorCode.ERROR_CODE_INVALID_CREDENTIALS
            assert outcomes[1].payload == b"ok"

    asyncio.run(main())
