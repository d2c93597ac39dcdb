/* Client-side conformance: the recorded exchanges through libmfaclient.
 *
 * The files: every *.exchange of the directories in $MFA_EXCHANGE_DIRS (':'-separated; the
 * Makefile passes Tests/Conformance/exchanges and tests/fixtures). Checked three ways:
 * - each client frame that decodes as a version-1 Request with a non-zero id and a call is
 *   encoded again by mfa_encode_request (what mfa_call sends) and must give the same bytes;
 * - each server frame is read by the client's frame and Response decoder; a small wire-format
 *   walker written here (independent of protobuf-c) must find the same id, the same result
 *   field and the same error fields, and the decoded result must re-encode to the same bytes;
 * - the whole exchange is replayed through mfa_call over a socket pair whose other end plays
 *   the recorded server and checks every byte the client sends.
 */
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "exchange.h"
#include "mfaclient.h"
#include "tests.h"

#ifndef MFA_DEFAULT_EXCHANGE_DIRS
#define MFA_DEFAULT_EXCHANGE_DIRS "../../Tests/Conformance/exchanges:tests/fixtures"
#endif

static const char *exchange_dirs(void)
{
    const char *dirs = getenv("MFA_EXCHANGE_DIRS");
    return dirs != NULL && *dirs != '\0' ? dirs : MFA_DEFAULT_EXCHANGE_DIRS;
}

/* ---- an independent reader of the protobuf wire format (just what an envelope needs) ----- */

typedef struct {
    const uint8_t *p, *end;
} wire;

static int wire_varint(wire *w, uint64_t *value)
{
    int shift;
    *value = 0;
    for (shift = 0; shift < 64 && w->p < w->end; shift += 7) {
        uint8_t b = *w->p++;
        *value |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return 0;
    }
    return -1;
}

/* The next field: its number, wire type, and for varints the value, for length-delimited the
 * bytes. Fixed-width fields are skipped over. */
static int wire_field(wire *w, uint32_t *number, int *type, uint64_t *value, const uint8_t **data, size_t *length)
{
    uint64_t key;
    if (wire_varint(w, &key) != 0)
        return -1;
    *number = (uint32_t)(key >> 3);
    *type = (int)(key & 7);
    switch (*type) {
    case 0:
        return wire_varint(w, value);
    case 1:
    case 5: {
        size_t n = *type == 1 ? 8 : 4;
        if ((size_t)(w->end - w->p) < n)
            return -1;
        w->p += n;
        return 0;
    }
    case 2:
        if (wire_varint(w, value) != 0 || *value > (uint64_t)(w->end - w->p))
            return -1;
        *data = w->p;
        *length = (size_t)*value;
        w->p += *length;
        return 0;
    default:
        return -1;
    }
}

typedef struct {
    uint64_t id;
    uint32_t result_field; /* 0: none */
    const uint8_t *result;
    size_t result_length;
} wire_envelope;

static int read_envelope(const uint8_t *body, size_t length, wire_envelope *out)
{
    wire w = {body, body + length};
    memset(out, 0, sizeof *out);
    while (w.p < w.end) {
        uint32_t number;
        int type;
        uint64_t value = 0;
        const uint8_t *data = NULL;
        size_t n = 0;
        if (wire_field(&w, &number, &type, &value, &data, &n) != 0)
            return -1;
        if (number == 1 && type == 0)
            out->id = value;
        else if (type == 2 && number >= 2) {
            out->result_field = number; /* a oneof: the last one wins */
            out->result = data;
            out->result_length = n;
        }
    }
    return 0;
}

typedef struct {
    uint64_t code, attempts, retry;
    const uint8_t *message;
    size_t message_length;
} wire_error;

static int read_error(const uint8_t *body, size_t length, wire_error *out)
{
    wire w = {body, body + length};
    memset(out, 0, sizeof *out);
    while (w.p < w.end) {
        uint32_t number;
        int type;
        uint64_t value = 0;
        const uint8_t *data = NULL;
        size_t n = 0;
        if (wire_field(&w, &number, &type, &value, &data, &n) != 0)
            return -1;
        if (number == 1 && type == 0)
            out->code = value;
        else if (number == 2 && type == 2) {
            out->message = data;
            out->message_length = n;
        } else if (number == 3 && type == 0)
            out->attempts = value;
        else if (number == 4 && type == 0)
            out->retry = value;
    }
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------------- */

/* The frame's Request when the client API can build it (else NULL): well formed, a Request,
 * protocol version 1, a non-zero id (mfa_call picks its own id for 0), a call this build knows,
 * no unknown fields, and bytes that protobuf-c itself would write. */
static Mfa__V1__Request *buildable(const exchange_item *item)
{
    Mfa__V1__Request *request;
    size_t size;
    uint8_t *again;
    int canonical;

    if (item->kind != ITEM_CLIENT_FRAME || !exchange_frame_well_formed(item))
        return NULL;
    request = mfa__v1__request__unpack(NULL, item->length - 4, item->data + 4);
    if (request == NULL)
        return NULL;
    if (request->protocol_version != MFA_PROTOCOL_VERSION || request->id == 0 ||
        request->call_case == MFA__V1__REQUEST__CALL__NOT_SET || request->base.n_unknown_fields != 0 ||
        ((ProtobufCMessage *)request->ping)->n_unknown_fields != 0) {
        mfa__v1__request__free_unpacked(request, NULL);
        return NULL;
    }
    size = mfa__v1__request__get_packed_size(request);
    again = malloc(size ? size : 1);
    mfa__v1__request__pack(request, again);
    canonical = size == item->length - 4 && memcmp(again, item->data + 4, size) == 0;
    free(again);
    if (!canonical) {
        mfa__v1__request__free_unpacked(request, NULL);
        return NULL;
    }
    return request;
}

/* A fresh envelope holding only the call of `decoded`, as a caller of mfa_call builds it. */
static Mfa__V1__Request envelope_of(const Mfa__V1__Request *decoded)
{
    Mfa__V1__Request envelope = MFA__V1__REQUEST__INIT;
    envelope.call_case = decoded->call_case;
    envelope.ping = decoded->ping; /* the call union: every member is a message pointer */
    return envelope;
}

static int packed_equals(const ProtobufCMessage *message, const uint8_t *data, size_t length)
{
    size_t size = protobuf_c_message_get_packed_size(message);
    uint8_t *out = malloc(size ? size : 1);
    int same;
    protobuf_c_message_pack(message, out);
    same = size == length && memcmp(out, data, size) == 0;
    free(out);
    return same;
}

typedef struct {
    char **files;
    size_t count;
} file_list;

static file_list load_files(void)
{
    file_list list;
    list.files = exchange_files(exchange_dirs(), &list.count);
    return list;
}

/* ---- tests ------------------------------------------------------------------------------- */

void test_exchange_parser(void)
{
    const char *example =
        "# Conformance exchange: ping\n# Ping answers the same payload.\n\n"
        "> 00 00 00 0b 08 01 10 01 52 05 0a 03 61 62 63\n#   id: 1\n#   ping {\n#   }\n\n"
        "< 00 00 00 09 08 01 52 05 0a 03 61 62 63\n#   id: 1\n\n! reconnect\n! closed\n! restart --seed 2\n";
    static const char *const malformed[] = {
        "> 00 00 00 0B\n", "> 00  00\n", "  00 01\n", "! exploded\n", "! closed now\n", "? 00\n",
        "> 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n",
    };
    char why[300];
    exchange ex;
    size_t i;
    uint8_t long_frame[40];
    char text[200];
    int n;

    REQUIRE(exchange_parse(example, "example", &ex, why, sizeof why) == 0);
    REQUIRE(ex.count == 5);
    CHECK_INT(ex.items[0].kind, ITEM_CLIENT_FRAME);
    CHECK_INT(ex.items[0].length, 15);
    CHECK_INT(ex.items[0].line, 4);
    CHECK(exchange_frame_well_formed(&ex.items[0]));
    CHECK_INT(ex.items[1].kind, ITEM_SERVER_FRAME);
    CHECK_INT(ex.items[2].kind, ITEM_RECONNECT);
    CHECK_INT(ex.items[3].kind, ITEM_CLOSED);
    CHECK_INT(ex.items[4].kind, ITEM_RESTART);
    exchange_free(&ex);

    for (i = 0; i < sizeof long_frame; i++)
        long_frame[i] = (uint8_t)i;
    n = snprintf(text, sizeof text, "> ");
    for (i = 0; i < 40; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, i == 32 ? "\n  %02x" : i == 0 ? "%02x" : " %02x", long_frame[i]);
    snprintf(text + n, sizeof text - (size_t)n, "\n");
    REQUIRE(exchange_parse(text, "continuation", &ex, why, sizeof why) == 0);
    CHECK(ex.count == 1 && ex.items[0].length == 40 && memcmp(ex.items[0].data, long_frame, 40) == 0);
    exchange_free(&ex);

    for (i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        int rc = exchange_parse(malformed[i], "malformed", &ex, why, sizeof why);
        CHECK_INT(rc, -1);
        if (rc == 0)
            exchange_free(&ex);
    }
}

void test_conformance_client_frames_are_encoded_byte_for_byte(void)
{
    file_list list = load_files();
    size_t f, i, frames = 0, built = 0;
    char why[300];

    for (f = 0; f < list.count; f++) {
        exchange ex;
        if (exchange_load(list.files[f], &ex, why, sizeof why) != 0) {
            fprintf(stderr, "  %s\n", why);
            check_failures++;
            continue;
        }
        for (i = 0; i < ex.count; i++) {
            Mfa__V1__Request *request, envelope;
            uint8_t *frame;
            size_t length;
            mfa_error error;
            if (ex.items[i].kind == ITEM_CLIENT_FRAME || ex.items[i].kind == ITEM_SERVER_FRAME)
                frames++;
            request = buildable(&ex.items[i]);
            if (request == NULL)
                continue;
            envelope = envelope_of(request);
            if (mfa_encode_request(&envelope, request->id, MFA_MAX_FRAME_LENGTH, &frame, &length, &error) != MFA_OK) {
                fprintf(stderr, "  %s:%d: %s\n", ex.path, ex.items[i].line, error.message);
                check_failures++;
            } else {
                if (length != ex.items[i].length || memcmp(frame, ex.items[i].data, length) != 0) {
                    fprintf(stderr, "  %s:%d: the client encodes this call differently\n", ex.path, ex.items[i].line);
                    check_failures++;
                }
                free(frame);
                built++;
            }
            mfa__v1__request__free_unpacked(request, NULL);
        }
        exchange_free(&ex);
    }
    if (frames == 0)
        fprintf(stderr, "  no exchange frames in %s\n", exchange_dirs());
    CHECK(frames > 0);
    CHECK(built > 0);
    exchange_files_free(list.files, list.count);
}

void test_conformance_server_frames_decode_and_re_encode(void)
{
    file_list list = load_files();
    size_t f, i, checked = 0;
    char why[300];

    for (f = 0; f < list.count; f++) {
        exchange ex;
        if (exchange_load(list.files[f], &ex, why, sizeof why) != 0) {
            fprintf(stderr, "  %s\n", why);
            check_failures++;
            continue;
        }
        for (i = 0; i < ex.count; i++) {
            const exchange_item *item = &ex.items[i];
            Mfa__V1__Response *response;
            wire_envelope raw;
            mfa_error error;
            uint32_t length;
            int before = check_failures;
            if (item->kind != ITEM_SERVER_FRAME)
                continue;
            CHECK(exchange_frame_well_formed(item));
            if (!exchange_frame_well_formed(item) ||
                mfa_frame_length(item->data, MFA_MAX_FRAME_LENGTH, &length, &error) != MFA_OK ||
                mfa_decode_response(item->data + 4, length, &response, &error) != MFA_OK) {
                fprintf(stderr, "  %s:%d: the client cannot read this server frame\n", ex.path, item->line);
                check_failures++;
                continue;
            }
            CHECK(read_envelope(item->data + 4, length, &raw) == 0);
            CHECK_INT(response->id, raw.id);
            CHECK_INT(response->result_case, raw.result_field);
            CHECK(packed_equals(&response->base, item->data + 4, length));
            if (response->result_case != MFA__V1__RESPONSE__RESULT__NOT_SET)
                /* the result by itself: every member of the union is a message pointer */
                CHECK(packed_equals((const ProtobufCMessage *)response->error, raw.result, raw.result_length));
            if (response->result_case == MFA__V1__RESPONSE__RESULT_ERROR) {
                wire_error e;
                CHECK(read_error(raw.result, raw.result_length, &e) == 0);
                CHECK_INT(mfa_error_from_response(response, &error), MFA_ERR_SERVER);
                CHECK_INT(error.code, e.code);
                CHECK_INT(error.attempts_remaining, e.attempts);
                CHECK_INT(error.retry_after_seconds, e.retry);
                CHECK_INT(error.request_id, raw.id);
                CHECK(strlen(error.message) == e.message_length && memcmp(error.message, e.message, e.message_length) == 0);
            }
            if (check_failures != before)
                fprintf(stderr, "  (at %s:%d)\n", ex.path, item->line);
            mfa_response_free(response);
            checked++;
        }
        exchange_free(&ex);
    }
    CHECK(checked > 0);
    exchange_files_free(list.files, list.count);
}

/* ---- replay ------------------------------------------------------------------------------ */

typedef struct {
    mfa_client *client;
    int peer;
} connection;

static int open_connection(connection *c)
{
    int fds[2];
    mfa_options options;
    struct timeval two_seconds = {2, 0};
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
        return -1;
    setsockopt(fds[1], SOL_SOCKET, SO_RCVTIMEO, &two_seconds, sizeof two_seconds);
    mfa_options_init(&options);
    options.call_timeout_ms = 2000;
    c->peer = fds[1];
    c->client = mfa_client_from_fd(fds[0], &options);
    return c->client != NULL ? 0 : -1;
}

static void close_connection(connection *c)
{
    mfa_close(c->client);
    if (c->peer >= 0)
        close(c->peer);
    c->client = NULL;
    c->peer = -1;
}

static int read_exactly(int fd, uint8_t *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, out + got, n - got);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

static int write_all(int fd, const uint8_t *data, size_t n)
{
    return write(fd, data, n) == (ssize_t)n ? 0 : -1;
}

static uint64_t frame_id(const exchange_item *item)
{
    wire_envelope raw;
    if (!exchange_frame_well_formed(item) || read_envelope(item->data + 4, item->length - 4, &raw) != 0)
        return UINT64_MAX;
    return raw.id;
}

/* One call of the exchange through mfa_call: the answer is queued on the peer first, the
 * client's bytes are compared with the recording, its result with the recorded answer. */
static void replay_call(connection *c, const exchange *ex, const exchange_item *sent, const Mfa__V1__Request *request,
                        const exchange_item *answer)
{
    Mfa__V1__Request envelope = envelope_of(request);
    Mfa__V1__Response *response = NULL, *expected;
    mfa_error error;
    uint8_t *bytes = malloc(sent->length);
    int status;

    envelope.id = request->id;
    CHECK(write_all(c->peer, answer->data, answer->length) == 0);
    status = mfa_call(c->client, &envelope, &response, &error);
    if (read_exactly(c->peer, bytes, sent->length) != 0 || memcmp(bytes, sent->data, sent->length) != 0) {
        fprintf(stderr, "  %s:%d: the client sent other bytes than recorded\n", ex->path, sent->line);
        check_failures++;
    }
    free(bytes);
    expected = mfa__v1__response__unpack(NULL, answer->length - 4, answer->data + 4);
    if (expected == NULL) {
        check_failures++;
        mfa_response_free(response);
        return;
    }
    if (expected->result_case == MFA__V1__RESPONSE__RESULT_ERROR) {
        CHECK_INT(status, MFA_ERR_SERVER);
        CHECK_INT(error.code, expected->error->code);
        CHECK_STR(error.message, expected->error->message);
        CHECK_INT(error.attempts_remaining, expected->error->attempts_remaining);
        CHECK_INT(error.retry_after_seconds, expected->error->retry_after_seconds);
    } else {
        CHECK_INT(status, MFA_OK);
        if (status == MFA_OK)
            CHECK(packed_equals(&response->base, answer->data + 4, answer->length - 4));
        else
            fprintf(stderr, "  %s:%d: %s %s\n", ex->path, sent->line, mfa_status_name(status), error.message);
    }
    mfa__v1__response__free_unpacked(expected, NULL);
    mfa_response_free(response);
}

/* A connection-level error (id 0): the next call gets it, and the client is closed after. */
static void replay_connection_error(connection *c, const exchange_item *answer)
{
    Mfa__V1__Response *expected = mfa__v1__response__unpack(NULL, answer->length - 4, answer->data + 4);
    Mfa__V1__PingResponse *pong = NULL;
    mfa_error error;
    REQUIRE(expected != NULL && expected->result_case == MFA__V1__RESPONSE__RESULT_ERROR);
    CHECK(write_all(c->peer, answer->data, answer->length) == 0);
    CHECK_INT(mfa_ping(c->client, NULL, &pong, &error), MFA_ERR_SERVER);
    CHECK(pong == NULL);
    CHECK_INT(error.code, expected->error->code);
    CHECK_INT(error.request_id, 0);
    CHECK(mfa_is_closed(c->client));
    mfa__v1__response__free_unpacked(expected, NULL);
}

static size_t replay(const exchange *ex)
{
    connection c;
    size_t i = 0, calls = 0;
    if (open_connection(&c) != 0) {
        check_failures++;
        return 0;
    }
    while (i < ex->count) {
        size_t start = i, server_start, server_end, k;
        char *used;
        if (ex->items[i].kind == ITEM_RECONNECT || ex->items[i].kind == ITEM_RESTART) {
            close_connection(&c);
            if (open_connection(&c) != 0) {
                check_failures++;
                return calls;
            }
            i++;
            continue;
        }
        if (ex->items[i].kind == ITEM_REFUSED_START) {
            /* Server side only: the server refused to start; nothing crosses the wire. */
            i++;
            continue;
        }
        if (ex->items[i].kind == ITEM_CLOSED) {
            /* The server hangs up: the client sees it on its next call. */
            close(c.peer);
            c.peer = -1;
            if (!mfa_is_closed(c.client)) {
                Mfa__V1__PingResponse *pong = NULL;
                mfa_error error;
                CHECK_INT(mfa_ping(c.client, NULL, &pong, &error), MFA_ERR_CLOSED);
            }
            i++;
            continue;
        }
        while (i < ex->count && ex->items[i].kind == ITEM_CLIENT_FRAME)
            i++;
        server_start = i;
        while (i < ex->count && ex->items[i].kind == ITEM_SERVER_FRAME)
            i++;
        server_end = i;
        used = calloc(server_end - server_start + 1, 1);
        /* The run's server frames form a set: each call gets the answer with its id. */
        for (k = start; k < server_start; k++) {
            Mfa__V1__Request *request = buildable(&ex->items[k]);
            size_t s;
            if (request == NULL)
                continue; /* a deliberately invalid frame: outside what the API can send */
            for (s = server_start; s < server_end; s++)
                if (!used[s - server_start] && frame_id(&ex->items[s]) == request->id)
                    break;
            if (s == server_end) {
                fprintf(stderr, "  %s:%d: no recorded answer with id %llu\n", ex->path, ex->items[k].line,
                        (unsigned long long)request->id);
                check_failures++;
            } else {
                used[s - server_start] = 1;
                replay_call(&c, ex, &ex->items[k], request, &ex->items[s]);
                calls++;
            }
            mfa__v1__request__free_unpacked(request, NULL);
        }
        /* The other answers: a connection-level error reaches the next call; answers to frames
         * sent raw are queued, and the next call must skip them. */
        for (k = server_start; k < server_end; k++) {
            if (used[k - server_start])
                continue;
            if (frame_id(&ex->items[k]) == 0)
                replay_connection_error(&c, &ex->items[k]);
            else if (!mfa_is_closed(c.client))
                CHECK(write_all(c.peer, ex->items[k].data, ex->items[k].length) == 0);
        }
        free(used);
    }
    close_connection(&c);
    return calls;
}

void test_conformance_replay_through_mfa_call(void)
{
    file_list list = load_files();
    size_t f, calls = 0;
    char why[300];
    for (f = 0; f < list.count; f++) {
        exchange ex;
        if (exchange_load(list.files[f], &ex, why, sizeof why) != 0) {
            fprintf(stderr, "  %s\n", why);
            check_failures++;
            continue;
        }
        calls += replay(&ex);
        exchange_free(&ex);
    }
    CHECK(calls > 0);
    exchange_files_free(list.files, list.count);
}
