/* The client against a scripted peer on a socket pair: framing, limits, timeouts, errors. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "mfaclient.h"
#include "tests.h"

/* Writes a Response frame to fd. */
static void send_response(int fd, const Mfa__V1__Response *response)
{
    size_t size = mfa__v1__response__get_packed_size(response);
    uint8_t *frame = malloc(4 + size);
    frame[0] = (uint8_t)(size >> 24);
    frame[1] = (uint8_t)(size >> 16);
    frame[2] = (uint8_t)(size >> 8);
    frame[3] = (uint8_t)size;
    mfa__v1__response__pack(response, frame + 4);
    CHECK_INT(write(fd, frame, 4 + size), 4 + size);
    free(frame);
}

static void send_pong(int fd, uint64_t id, const char *payload)
{
    Mfa__V1__Response response = MFA__V1__RESPONSE__INIT;
    Mfa__V1__PingResponse pong = MFA__V1__PING_RESPONSE__INIT;
    pong.payload.data = (uint8_t *)payload;
    pong.payload.len = strlen(payload);
    response.id = id;
    response.result_case = MFA__V1__RESPONSE__RESULT_PING;
    response.ping = &pong;
    send_response(fd, &response);
}

static void send_error(int fd, uint64_t id, Mfa__V1__ErrorCode code, const char *message, uint32_t attempts,
                       uint32_t retry)
{
    Mfa__V1__Response response = MFA__V1__RESPONSE__INIT;
    Mfa__V1__Error error = MFA__V1__ERROR__INIT;
    error.code = code;
    error.message = (char *)message;
    error.attempts_remaining = attempts;
    error.retry_after_seconds = retry;
    response.id = id;
    response.result_case = MFA__V1__RESPONSE__RESULT_ERROR;
    response.error = &error;
    send_response(fd, &response);
}

/* Reads one Request frame the client sent. */
static Mfa__V1__Request *read_request(int fd)
{
    uint8_t header[4], *body;
    uint32_t n;
    Mfa__V1__Request *request;
    if (read(fd, header, 4) != 4)
        return NULL;
    n = (uint32_t)header[0] << 24 | (uint32_t)header[1] << 16 | (uint32_t)header[2] << 8 | header[3];
    body = malloc(n ? n : 1);
    if (read(fd, body, n) != (ssize_t)n) {
        free(body);
        return NULL;
    }
    request = mfa__v1__request__unpack(NULL, n, body);
    free(body);
    return request;
}

static mfa_client *pair_client(int *peer, int timeout_ms)
{
    int fds[2];
    mfa_options options;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
        return NULL;
    mfa_options_init(&options);
    options.call_timeout_ms = timeout_ms;
    *peer = fds[1];
    return mfa_client_from_fd(fds[0], &options);
}

static int ping(mfa_client *client, const char *payload, char *out, size_t out_size, mfa_error *error)
{
    Mfa__V1__PingRequest request = MFA__V1__PING_REQUEST__INIT;
    Mfa__V1__PingResponse *response;
    int status;
    request.payload.data = (uint8_t *)payload;
    request.payload.len = strlen(payload);
    status = mfa_ping(client, &request, &response, error);
    if (status == MFA_OK) {
        snprintf(out, out_size, "%.*s", (int)response->payload.len, (const char *)response->payload.data);
        mfa__v1__ping_response__free_unpacked(response, NULL);
    }
    return status;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void test_encodes_the_readme_example(void)
{
    static const uint8_t expected[] = {0x00, 0x00, 0x00, 0x0b, 0x08, 0x01, 0x10, 0x01,
                                       0x52, 0x05, 0x0a, 0x03, 0x61, 0x62, 0x63};
    Mfa__V1__Request request = MFA__V1__REQUEST__INIT;
    Mfa__V1__PingRequest ping_request = MFA__V1__PING_REQUEST__INIT;
    uint8_t *frame;
    size_t length;
    mfa_error error;
    ping_request.payload.data = (uint8_t *)"abc";
    ping_request.payload.len = 3;
    request.call_case = MFA__V1__REQUEST__CALL_PING;
    request.ping = &ping_request;
    request.protocol_version = 7; /* ignored: the client always speaks 1 */
    REQUIRE(mfa_encode_request(&request, 1, MFA_MAX_FRAME_LENGTH, &frame, &length, &error) == MFA_OK);
    CHECK_INT(length, sizeof expected);
    CHECK(length == sizeof expected && memcmp(frame, expected, length) == 0);
    free(frame);

    request.call_case = MFA__V1__REQUEST__CALL__NOT_SET;
    CHECK_INT(mfa_encode_request(&request, 1, MFA_MAX_FRAME_LENGTH, &frame, &length, &error), MFA_ERR_INVALID_REQUEST);
    CHECK(frame == NULL);
}

void test_frame_length_limits(void)
{
    const uint8_t max[4] = {0x00, 0x10, 0x00, 0x00}, over[4] = {0x00, 0x10, 0x00, 0x01}, huge[4] = {0xff, 0xff, 0xff, 0xff};
    uint32_t length = 0;
    mfa_error error;
    CHECK_INT(mfa_frame_length(max, MFA_MAX_FRAME_LENGTH, &length, &error), MFA_OK);
    CHECK_INT(length, 1u << 20);
    CHECK_INT(mfa_frame_length(over, MFA_MAX_FRAME_LENGTH, &length, &error), MFA_ERR_PROTOCOL);
    CHECK_INT(mfa_frame_length(huge, MFA_MAX_FRAME_LENGTH, &length, &error), MFA_ERR_PROTOCOL);
}

void test_error_code_names(void)
{
    CHECK_STR(mfa_error_code_name(MFA__V1__ERROR_CODE__ERROR_CODE_LOCKED), "ERROR_CODE_LOCKED");
    CHECK_STR(mfa_error_code_name(10), "ERROR_CODE_INVALID_CODE");
    CHECK_STR(mfa_error_code_name(999), "ERROR_CODE_UNRECOGNIZED");
    CHECK_STR(mfa_status_name(MFA_ERR_TIMEOUT), "MFA_ERR_TIMEOUT");
}

void test_one_call_per_rpc_of_the_proto(void)
{
    size_t i, calls = 0;
    for (i = 0; i < mfa__v1__request__descriptor.n_fields; i++)
        if (mfa__v1__request__descriptor.fields[i].flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
            calls++;
    CHECK_INT(mfa_rpc_count, calls);
    for (i = 0; i < mfa_rpc_count; i++) {
        const ProtobufCFieldDescriptor *field =
            protobuf_c_message_descriptor_get_field(&mfa__v1__request__descriptor, (unsigned)mfa_rpcs[i].call_case);
        CHECK(field != NULL && strcmp(field->name, mfa_rpcs[i].name) == 0);
    }
}

void test_call_and_server_error(void)
{
    int peer;
    mfa_client *client = pair_client(&peer, 5000);
    Mfa__V1__VerifyMfaRequest verify = MFA__V1__VERIFY_MFA_REQUEST__INIT;
    Mfa__V1__VerifyMfaResponse *verified = (Mfa__V1__VerifyMfaResponse *)&verify; /* must be reset */
    Mfa__V1__Request *sent;
    mfa_error error;
    char out[32];
    REQUIRE(client != NULL);

    send_pong(peer, 1, "hi");
    send_error(peer, 2, MFA__V1__ERROR_CODE__ERROR_CODE_INVALID_CODE, "This code is invalid, please try again.", 2, 0);
    CHECK_INT(ping(client, "hi", out, sizeof out, &error), MFA_OK);
    CHECK_STR(out, "hi");
    verify.challenge_id = "c1";
    verify.code = "WRONG1";
    CHECK_INT(mfa_verify_mfa(client, &verify, &verified, &error), MFA_ERR_SERVER);
    CHECK(verified == NULL);
    CHECK_INT(error.status, MFA_ERR_SERVER);
    CHECK_INT(error.code, MFA__V1__ERROR_CODE__ERROR_CODE_INVALID_CODE);
    CHECK_STR(error.message, "This code is invalid, please try again.");
    CHECK_INT(error.attempts_remaining, 2);
    CHECK_INT(error.retry_after_seconds, 0);
    CHECK_INT(error.request_id, 2);
    CHECK(!mfa_is_closed(client));

    sent = read_request(peer);
    REQUIRE(sent != NULL);
    CHECK_INT(sent->id, 1);
    CHECK_INT(sent->protocol_version, 1);
    CHECK_INT(sent->call_case, MFA__V1__REQUEST__CALL_PING);
    mfa__v1__request__free_unpacked(sent, NULL);
    sent = read_request(peer);
    REQUIRE(sent != NULL);
    CHECK_INT(sent->id, 2);
    CHECK_INT(sent->call_case, MFA__V1__REQUEST__CALL_VERIFY_MFA);
    CHECK_STR(sent->verify_mfa->code, "WRONG1");
    mfa__v1__request__free_unpacked(sent, NULL);
    mfa_close(client);
    close(peer);
}

void test_timeout_keeps_the_connection_and_drops_late_answers(void)
{
    int peer;
    mfa_client *client = pair_client(&peer, 200);
    Mfa__V1__Response late = MFA__V1__RESPONSE__INIT;
    Mfa__V1__PingResponse pong = MFA__V1__PING_RESPONSE__INIT;
    uint8_t frame[64];
    size_t size;
    mfa_error error;
    char out[32];
    int64_t started = now_ms();
    REQUIRE(client != NULL);

    CHECK_INT(ping(client, "late", out, sizeof out, &error), MFA_ERR_TIMEOUT);
    CHECK(now_ms() - started < 2000);
    CHECK(!mfa_is_closed(client));
    /* Half of the late answer now, the rest with the next answers. */
    late.id = 1;
    late.result_case = MFA__V1__RESPONSE__RESULT_PING;
    late.ping = &pong;
    size = mfa__v1__response__pack(&late, frame + 4);
    frame[0] = frame[1] = frame[2] = 0;
    frame[3] = (uint8_t)size;
    CHECK_INT(write(peer, frame, 3), 3);
    CHECK_INT(ping(client, "second", out, sizeof out, &error), MFA_ERR_TIMEOUT);
    CHECK_INT(write(peer, frame + 3, size + 1), size + 1);
    send_pong(peer, 2, "second");
    send_pong(peer, 3, "third");
    CHECK_INT(ping(client, "third", out, sizeof out, &error), MFA_OK);
    CHECK_STR(out, "third");
    mfa_close(client);
    close(peer);
}

void test_request_over_the_maximum_is_not_sent(void)
{
    int peer;
    mfa_client *client = pair_client(&peer, 5000);
    char *big = malloc((1u << 20) + 1);
    mfa_error error;
    char out[32];
    REQUIRE(client != NULL && big != NULL);
    memset(big, 'x', 1u << 20);
    big[1u << 20] = '\0';
    CHECK_INT(ping(client, big, out, sizeof out, &error), MFA_ERR_INVALID_REQUEST);
    free(big);
    send_pong(peer, 2, "ok");
    CHECK_INT(ping(client, "ok", out, sizeof out, &error), MFA_OK);
    mfa_close(client);
    close(peer);
}

void test_oversized_answer_closes_without_waiting_for_the_body(void)
{
    int peer;
    mfa_client *client = pair_client(&peer, 5000);
    const uint8_t huge[4] = {0xff, 0xff, 0xff, 0xff};
    mfa_error error;
    char out[32];
    int64_t started = now_ms();
    REQUIRE(client != NULL);
    CHECK_INT(write(peer, huge, 4), 4);
    CHECK_INT(ping(client, "x", out, sizeof out, &error), MFA_ERR_PROTOCOL);
    CHECK(now_ms() - started < 1000);
    CHECK(mfa_is_closed(client));
    CHECK_INT(ping(client, "x", out, sizeof out, &error), MFA_ERR_CLOSED);
    mfa_close(client);
    close(peer);
}

void test_connection_level_error_closes(void)
{
    int peer;
    mfa_client *client = pair_client(&peer, 5000);
    mfa_error error;
    char out[32];
    REQUIRE(client != NULL);
    send_error(peer, 0, MFA__V1__ERROR_CODE__ERROR_CODE_MALFORMED_FRAME, "malformed", 0, 0);
    CHECK_INT(ping(client, "x", out, sizeof out, &error), MFA_ERR_SERVER);
    CHECK_INT(error.code, MFA__V1__ERROR_CODE__ERROR_CODE_MALFORMED_FRAME);
    CHECK_INT(error.request_id, 0);
    CHECK(mfa_is_closed(client));
    mfa_close(client);
    close(peer);
}

void test_garbage_wrong_result_and_hang_up(void)
{
    int peer;
    mfa_client *client = pair_client(&peer, 5000);
    Mfa__V1__Response response = MFA__V1__RESPONSE__INIT;
    Mfa__V1__LoginResponse login = MFA__V1__LOGIN_RESPONSE__INIT;
    const uint8_t garbage[] = {0, 0, 0, 3, 0xff, 0xff, 0xff};
    mfa_error error;
    char out[32];
    REQUIRE(client != NULL);

    response.id = 1;
    response.result_case = MFA__V1__RESPONSE__RESULT_LOGIN;
    response.login = &login;
    send_response(peer, &response);
    CHECK_INT(ping(client, "x", out, sizeof out, &error), MFA_ERR_PROTOCOL);
    CHECK(strstr(error.message, "the result of login") != NULL);

    CHECK_INT(write(peer, garbage, sizeof garbage), (ssize_t)sizeof garbage);
    CHECK_INT(ping(client, "x", out, sizeof out, &error), MFA_ERR_PROTOCOL);
    CHECK(mfa_is_closed(client));
    mfa_close(client);
    close(peer);

    client = pair_client(&peer, 5000);
    REQUIRE(client != NULL);
    close(peer);
    CHECK_INT(ping(client, "x", out, sizeof out, &error), MFA_ERR_CLOSED);
    mfa_close(client);
}

void test_connect_failure(void)
{
    mfa_client *client = (mfa_client *)&client;
    mfa_options options;
    mfa_error error;
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    REQUIRE(getsockname(fd, (struct sockaddr *)&addr, &len) == 0);
    mfa_options_init(&options);
    options.connect_timeout_ms = 1000;
    /* Bound but not listening: refused. */
    CHECK_INT(mfa_connect("127.0.0.1", ntohs(addr.sin_port), &options, &client, &error), MFA_ERR_CONNECT);
    CHECK(client == NULL);
    CHECK(strstr(error.message, "could not connect") != NULL);
    CHECK_INT(mfa_connect("no-such-host.invalid", 7370, &options, &client, &error), MFA_ERR_CONNECT);
    close(fd);
}
