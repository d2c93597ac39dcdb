/* libmfaclient against a real `mfad --test-mode --seed 1`. */
#include <stdlib.h>

#include "check.h"
#include "mfad.h"
#include "mfaclient.h"
#include "tests.h"

#define EMAIL "ada@example.com"
#define PASSWORD "correct horse battery"
#define PHONE "+41791234567"
#define TEST_CLOCK_START 1767225600 /* 2026-01-01T00:00:00Z, where the test clock starts */

/* The code of the newest outbox message to `to` on `channel` (malloc'd), or NULL. */
static char *last_code(mfa_client *client, const char *to, const char *channel)
{
    Mfa__V1__ReadOutboxResponse *outbox = NULL;
    mfa_error error;
    char *code = NULL;
    size_t i;
    if (mfa_read_outbox(client, NULL, &outbox, &error) != MFA_OK) {
        fprintf(stderr, "  ReadOutbox: %s\n", error.message);
        return NULL;
    }
    for (i = outbox->n_messages; i > 0 && code == NULL; i--) {
        const Mfa__V1__OutboxMessage *m = outbox->messages[i - 1];
        if (strcmp(m->to, to) == 0 && strcmp(m->channel, channel) == 0 && m->code[0] != '\0')
            code = strdup(m->code);
    }
    mfa__v1__read_outbox_response__free_unpacked(outbox, NULL);
    return code;
}

static size_t outbox_size(mfa_client *client)
{
    Mfa__V1__ReadOutboxResponse *outbox = NULL;
    mfa_error error;
    size_t n;
    if (mfa_read_outbox(client, NULL, &outbox, &error) != MFA_OK)
        return (size_t)-1;
    n = outbox->n_messages;
    mfa__v1__read_outbox_response__free_unpacked(outbox, NULL);
    return n;
}

/* A code of the right shape that is not `code`. */
static void wrong_code(const char *code, char *out, size_t size)
{
    snprintf(out, size, "%c%s", code[0] != 'B' ? 'B' : 'C', code + 1);
}

static int login(mfa_client *client, const char *device_token, Mfa__V1__LoginResponse **answer, mfa_error *error)
{
    Mfa__V1__LoginRequest request = MFA__V1__LOGIN_REQUEST__INIT;
    request.email = EMAIL;
    request.password = PASSWORD;
    request.client_info = "libmfaclient tests";
    if (device_token != NULL)
        request.device_token = (char *)device_token;
    return mfa_login(client, &request, answer, error);
}

static int verify(mfa_client *client, const char *challenge, const char *code, int trust,
                  Mfa__V1__VerifyMfaResponse **answer, mfa_error *error)
{
    Mfa__V1__VerifyMfaRequest request = MFA__V1__VERIFY_MFA_REQUEST__INIT;
    request.challenge_id = (char *)challenge;
    request.code = (char *)code;
    request.trust_device = trust;
    request.device_label = trust ? "C laptop" : "";
    return mfa_verify_mfa(client, &request, answer, error);
}

static void scenario(mfa_client *client)
{
    static const struct {
        int code;
        const char *message;
        uint32_t attempts, retry;
    } lockout[] = {
        {MFA__V1__ERROR_CODE__ERROR_CODE_INVALID_CODE, "This code is invalid, please try again.", 2, 0},
        {MFA__V1__ERROR_CODE__ERROR_CODE_INVALID_CODE, "Invalid code, your account will be locked after 3 incorrect attempts.", 1, 0},
        {MFA__V1__ERROR_CODE__ERROR_CODE_LOCKED, "You've reached the maximum amount of attempts. Please try again in 5 min.", 0, 300},
    };
    Mfa__V1__CreateAccountRequest create = MFA__V1__CREATE_ACCOUNT_REQUEST__INIT;
    Mfa__V1__CreateAccountResponse *created = NULL;
    Mfa__V1__SetEnforcementPolicyRequest policy = MFA__V1__SET_ENFORCEMENT_POLICY_REQUEST__INIT;
    Mfa__V1__SetEnforcementPolicyResponse *policy_set = NULL;
    Mfa__V1__LoginResponse *challenge = NULL, *again = NULL, *fresh = NULL;
    Mfa__V1__VerifyMfaResponse *verified = NULL, *unlocked = NULL, *none = NULL;
    Mfa__V1__ValidateSessionRequest validate = MFA__V1__VALIDATE_SESSION_REQUEST__INIT;
    Mfa__V1__ValidateSessionResponse *session = NULL;
    Mfa__V1__AdvanceClockRequest advance = MFA__V1__ADVANCE_CLOCK_REQUEST__INIT;
    Mfa__V1__AdvanceClockResponse *advanced = NULL;
    mfa_error error;
    char *code = NULL, wrong[16];
    const char *channels[2][2] = {{"email", EMAIL}, {"sms", PHONE}};
    size_t queued, i;

    create.email = EMAIL;
    create.password = PASSWORD;
    create.phone = PHONE;
    create.plan = "pro";
    create.workspace = "acme";
    REQUIRE(mfa_create_account(client, &create, &created, &error) == MFA_OK);
    CHECK(created->account_id[0] != '\0');

    /* Login is refused until both contacts are confirmed. */
    CHECK_INT(login(client, NULL, &challenge, &error), MFA_ERR_SERVER);
    CHECK_INT(error.code, MFA__V1__ERROR_CODE__ERROR_CODE_FAILED_PRECONDITION);
    for (i = 0; i < 2; i++) {
        Mfa__V1__VerifyContactRequest confirm = MFA__V1__VERIFY_CONTACT_REQUEST__INIT;
        Mfa__V1__VerifyContactResponse *confirmed = NULL;
        char *contact_code = last_code(client, channels[i][1], channels[i][0]);
        REQUIRE(contact_code != NULL);
        confirm.account_id = created->account_id;
        confirm.channel = (char *)channels[i][0];
        confirm.code = contact_code;
        CHECK_INT(mfa_verify_contact(client, &confirm, &confirmed, &error), MFA_OK);
        mfa__v1__verify_contact_response__free_unpacked(confirmed, NULL);
        free(contact_code);
    }

    policy.enforce_from_unix = TEST_CLOCK_START;
    REQUIRE(mfa_set_enforcement_policy(client, &policy, &policy_set, &error) == MFA_OK);
    CHECK_INT(policy_set->policy->global_enforce_from_unix, TEST_CLOCK_START);
    mfa__v1__set_enforcement_policy_response__free_unpacked(policy_set, NULL);

    /* MFA is enforced: a challenge, and the code by email. */
    REQUIRE(login(client, NULL, &challenge, &error) == MFA_OK);
    REQUIRE(challenge->challenge_id[0] != '\0');
    CHECK(challenge->session_token[0] == '\0');
    CHECK(challenge->n_methods == 1 && strcmp(challenge->methods[0], "email") == 0);
    CHECK_STR(challenge->reason, "MFA_ENFORCED");
    code = last_code(client, EMAIL, "email");
    REQUIRE(code != NULL);
    REQUIRE(verify(client, challenge->challenge_id, code, 1, &verified, &error) == MFA_OK);
    CHECK(verified->session_token[0] != '\0' && verified->device_token[0] != '\0');
    validate.session_token = verified->session_token;
    REQUIRE(mfa_validate_session(client, &validate, &session, &error) == MFA_OK);
    CHECK_STR(session->account_id, created->account_id);
    CHECK_STR(session->email, EMAIL);
    mfa__v1__validate_session_response__free_unpacked(session, NULL);
    free(code);

    /* The trusted device logs in without a code, and no email is sent. */
    queued = outbox_size(client);
    REQUIRE(login(client, verified->device_token, &again, &error) == MFA_OK);
    CHECK(again->session_token[0] != '\0' && again->challenge_id[0] == '\0');
    CHECK_INT(outbox_size(client), queued);

    /* Three wrong codes on a fresh challenge: the exact messages of SPEC 2.3. */
    REQUIRE(login(client, NULL, &fresh, &error) == MFA_OK);
    code = last_code(client, EMAIL, "email");
    REQUIRE(code != NULL);
    wrong_code(code, wrong, sizeof wrong);
    for (i = 0; i < 3; i++) {
        CHECK_INT(verify(client, fresh->challenge_id, wrong, 0, &none, &error), MFA_ERR_SERVER);
        CHECK(none == NULL);
        CHECK_INT(error.code, lockout[i].code);
        CHECK_STR(error.message, lockout[i].message);
        CHECK_INT(error.attempts_remaining, lockout[i].attempts);
        CHECK_INT(error.retry_after_seconds, lockout[i].retry);
    }
    CHECK_STR(mfa_error_code_name(error.code), "ERROR_CODE_LOCKED");
    /* While locked the right code gets the same answer; after 5 minutes it works. */
    CHECK_INT(verify(client, fresh->challenge_id, code, 0, &none, &error), MFA_ERR_SERVER);
    CHECK_INT(error.code, MFA__V1__ERROR_CODE__ERROR_CODE_LOCKED);
    CHECK_STR(error.message, lockout[2].message);
    advance.seconds = 300;
    CHECK_INT(mfa_advance_clock(client, &advance, &advanced, &error), MFA_OK);
    mfa__v1__advance_clock_response__free_unpacked(advanced, NULL);
    CHECK_INT(verify(client, fresh->challenge_id, code, 0, &unlocked, &error), MFA_OK);
    if (unlocked != NULL)
        mfa__v1__verify_mfa_response__free_unpacked(unlocked, NULL);
    /* The connection stayed usable after every error. */
    {
        Mfa__V1__PingResponse *pong = NULL;
        CHECK_INT(mfa_ping(client, NULL, &pong, &error), MFA_OK);
        mfa__v1__ping_response__free_unpacked(pong, NULL);
    }

    free(code);
    mfa__v1__login_response__free_unpacked(fresh, NULL);
    mfa__v1__login_response__free_unpacked(again, NULL);
    mfa__v1__verify_mfa_response__free_unpacked(verified, NULL);
    mfa__v1__login_response__free_unpacked(challenge, NULL);
    mfa__v1__create_account_response__free_unpacked(created, NULL);
}

void test_live_signup_login_trusted_device_and_lockout(void)
{
    test_mfad server;
    mfa_client *client = NULL;
    mfa_options options;
    mfa_error error;
    int before = check_failures;

    REQUIRE(test_mfad_start(&server) == 0);
    mfa_options_init(&options);
    options.call_timeout_ms = 60000;
    options.service = TEST_MFAD_SERVICE;
    options.api_key = TEST_MFAD_API_KEY;
    if (mfa_connect("127.0.0.1", server.port, &options, &client, &error) != MFA_OK) {
        fprintf(stderr, "  connect: %s\n", error.message);
        check_failures++;
    } else {
        scenario(client);
        mfa_close(client);
    }
    test_mfad_stop(&server, check_failures != before);
}
