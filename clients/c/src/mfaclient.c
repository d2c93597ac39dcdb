/* libmfaclient: connection, framing and the generic call. See include/mfaclient.h. */
#include "mfaclient_internal.h"
#include "mfaclient_rpcs.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEADER_LENGTH 4
#define INITIAL_BUFFER 4096

struct mfa_client {
    int fd;
    int closed;
    uint64_t next_id;
    int call_timeout_ms;
    size_t max_frame_length;
    /* Bytes received and not yet handed out as a frame; a frame cut by a timeout stays here. */
    uint8_t *buffer;
    size_t buffered;
    size_t capacity;
};

/* ---- errors ------------------------------------------------------------------------------ */

static void copy_message(char *out, const char *in)
{
    size_t n = strlen(in);
    if (n >= MFA_ERROR_MESSAGE_SIZE) {
        n = MFA_ERROR_MESSAGE_SIZE - 1;
        while (n > 0 && ((unsigned char)in[n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 sequence */
    }
    memcpy(out, in, n);
    out[n] = '\0';
}

static int fail(mfa_error *error, mfa_status status, const char *format, ...)
{
    if (error != NULL) {
        char text[MFA_ERROR_MESSAGE_SIZE];
        va_list args;
        memset(error, 0, sizeof *error);
        error->status = status;
        va_start(args, format);
        vsnprintf(text, sizeof text, format, args);
        va_end(args);
        copy_message(error->message, text);
    }
    return status;
}

static void clear(mfa_error *error)
{
    if (error != NULL)
        memset(error, 0, sizeof *error);
}

int mfa_error_from_response(const Mfa__V1__Response *response, mfa_error *error)
{
    if (error != NULL) {
        const Mfa__V1__Error *e = response->error;
        memset(error, 0, sizeof *error);
        error->status = MFA_ERR_SERVER;
        error->request_id = response->id;
        if (e != NULL) {
            error->code = (int)e->code;
            copy_message(error->message, e->message != NULL ? e->message : "");
            error->attempts_remaining = e->attempts_remaining;
            error->retry_after_seconds = e->retry_after_seconds;
        }
    }
    return MFA_ERR_SERVER;
}

const char *mfa_error_code_name(int code)
{
    const ProtobufCEnumValue *value =
        protobuf_c_enum_descriptor_get_value(&mfa__v1__error_code__descriptor, code);
    return value != NULL ? value->name : "ERROR_CODE_UNRECOGNIZED";
}

const char *mfa_status_name(int status)
{
    switch (status) {
    case MFA_OK: return "MFA_OK";
    case MFA_ERR_SERVER: return "MFA_ERR_SERVER";
    case MFA_ERR_CONNECT: return "MFA_ERR_CONNECT";
    case MFA_ERR_TIMEOUT: return "MFA_ERR_TIMEOUT";
    case MFA_ERR_CLOSED: return "MFA_ERR_CLOSED";
    case MFA_ERR_PROTOCOL: return "MFA_ERR_PROTOCOL";
    case MFA_ERR_INVALID_REQUEST: return "MFA_ERR_INVALID_REQUEST";
    case MFA_ERR_NO_MEMORY: return "MFA_ERR_NO_MEMORY";
    case MFA_ERR_IO: return "MFA_ERR_IO";
    default: return "MFA_ERR_UNKNOWN";
    }
}

int mfa__unexpected_result(Mfa__V1__Response *reply, const char *rpc, mfa_error *error)
{
    const ProtobufCFieldDescriptor *field =
        protobuf_c_message_descriptor_get_field(&mfa__v1__response__descriptor, (unsigned)reply->result_case);
    int status = fail(error, MFA_ERR_PROTOCOL, "the server answered %s with the result of %s", rpc,
                      field != NULL ? field->name : "nothing");
    if (error != NULL)
        error->request_id = reply->id;
    mfa_response_free(reply);
    return status;
}

/* ---- frames ------------------------------------------------------------------------------ */

int mfa_frame_length(const uint8_t header[4], size_t max_frame_length, uint32_t *length, mfa_error *error)
{
    uint32_t n = (uint32_t)header[0] << 24 | (uint32_t)header[1] << 16 | (uint32_t)header[2] << 8 | header[3];
    if (n > max_frame_length)
        return fail(error, MFA_ERR_PROTOCOL, "frame of %lu bytes is over the maximum of %lu",
                    (unsigned long)n, (unsigned long)max_frame_length);
    *length = n;
    return MFA_OK;
}

int mfa_encode_request(const Mfa__V1__Request *request, uint64_t id, size_t max_frame_length,
                       uint8_t **frame, size_t *frame_length, mfa_error *error)
{
    Mfa__V1__Request envelope;
    size_t size;
    uint8_t *out;

    *frame = NULL;
    *frame_length = 0;
    if (request == NULL || request->call_case == MFA__V1__REQUEST__CALL__NOT_SET)
        return fail(error, MFA_ERR_INVALID_REQUEST, "the request has no call");
    if (request->ping == NULL) /* every member of the call union is a message pointer */
        return fail(error, MFA_ERR_INVALID_REQUEST, "the request's call is set but points nowhere");
    envelope = *request;
    envelope.id = id;
    envelope.protocol_version = MFA_PROTOCOL_VERSION;
    size = mfa__v1__request__get_packed_size(&envelope);
    if (size > max_frame_length)
        return fail(error, MFA_ERR_INVALID_REQUEST, "the request's frame of %lu bytes is over the maximum of %lu",
                    (unsigned long)size, (unsigned long)max_frame_length);
    out = malloc(HEADER_LENGTH + size);
    if (out == NULL)
        return fail(error, MFA_ERR_NO_MEMORY, "out of memory");
    out[0] = (uint8_t)(size >> 24);
    out[1] = (uint8_t)(size >> 16);
    out[2] = (uint8_t)(size >> 8);
    out[3] = (uint8_t)size;
    mfa__v1__request__pack(&envelope, out + HEADER_LENGTH);
    *frame = out;
    *frame_length = HEADER_LENGTH + size;
    clear(error);
    return MFA_OK;
}

int mfa_decode_response(const uint8_t *body, size_t length, Mfa__V1__Response **response, mfa_error *error)
{
    *response = mfa__v1__response__unpack(NULL, length, body);
    if (*response == NULL)
        return fail(error, MFA_ERR_PROTOCOL, "the server sent a frame of %lu bytes that is not a Response",
                    (unsigned long)length);
    return MFA_OK;
}

void mfa_response_free(Mfa__V1__Response *response)
{
    if (response != NULL)
        mfa__v1__response__free_unpacked(response, NULL);
}

/* ---- connection -------------------------------------------------------------------------- */

void mfa_options_init(mfa_options *options)
{
    options->connect_timeout_ms = 5000;
    options->call_timeout_ms = 30000;
    options->max_frame_length = MFA_MAX_FRAME_LENGTH;
    options->service = NULL;
    options->api_key = NULL;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(int64_t deadline)
{
    int64_t left = deadline - now_ms();
    return left <= 0 ? 0 : left > 0x7fffffff ? 0x7fffffff : (int)left;
}

/* Waits for `events` on fd until the deadline: 1 ready, 0 timed out, -1 error (errno). */
static int wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd p = {.fd = fd, .events = events};
        int left = remaining_ms(deadline);
        int n = poll(&p, 1, left);
        if (n > 0)
            return 1;
        if (n == 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

mfa_client *mfa_client_from_fd(int fd, const mfa_options *options)
{
    mfa_options defaults;
    mfa_client *client;

    if (options == NULL) {
        mfa_options_init(&defaults);
        options = &defaults;
    }
    client = calloc(1, sizeof *client);
    if (client == NULL || set_nonblocking(fd) != 0) {
        free(client);
        close(fd);
        return NULL;
    }
    client->fd = fd;
    client->next_id = 1;
    client->call_timeout_ms = options->call_timeout_ms;
    client->max_frame_length = options->max_frame_length;
    return client;
}

static int connect_one(const struct addrinfo *ai, int64_t deadline, int *out)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    int so_error = 0;
    socklen_t len = sizeof so_error;

    if (fd < 0)
        return errno;
    if (set_nonblocking(fd) != 0 || (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS)) {
        int e = errno;
        close(fd);
        return e;
    }
    switch (wait_fd(fd, POLLOUT, deadline)) {
    case 1:
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
            so_error = errno;
        break;
    case 0:
        so_error = ETIMEDOUT;
        break;
    default:
        so_error = errno;
    }
    if (so_error != 0) {
        close(fd);
        return so_error;
    }
    *out = fd;
    return 0;
}

int mfa_connect(const char *host, uint16_t port, const mfa_options *options, mfa_client **client,
                mfa_error *error)
{
    mfa_options defaults;
    struct addrinfo hints, *found = NULL, *ai;
    char service[8];
    int rc, fd = -1, last = ETIMEDOUT, one = 1;
    int64_t deadline;

    *client = NULL;
    if (options == NULL) {
        mfa_options_init(&defaults);
        options = &defaults;
    }
    deadline = now_ms() + options->connect_timeout_ms;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof service, "%u", (unsigned)port);
    rc = getaddrinfo(host, service, &hints, &found);
    if (rc != 0)
        return fail(error, MFA_ERR_CONNECT, "could not connect to %s:%u: %s", host, (unsigned)port, gai_strerror(rc));
    for (ai = found; ai != NULL && fd < 0; ai = ai->ai_next) {
        last = connect_one(ai, deadline, &fd);
        if (remaining_ms(deadline) == 0 && fd < 0)
            break;
    }
    freeaddrinfo(found);
    if (fd < 0)
        return fail(error, MFA_ERR_CONNECT, "could not connect to %s:%u: %s", host, (unsigned)port, strerror(last));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    *client = mfa_client_from_fd(fd, options);
    if (*client == NULL)
        return fail(error, MFA_ERR_NO_MEMORY, "out of memory");
    if (options->api_key != NULL) {
        Mfa__V1__AuthenticateRequest request;
        mfa__v1__authenticate_request__init(&request);
        request.service = (char *)(options->service != NULL ? options->service : "");
        request.api_key = (char *)options->api_key;
        rc = mfa_authenticate(*client, &request, NULL, error);
        if (rc != MFA_OK) {
            mfa_close(*client);
            *client = NULL;
            return rc;
        }
    }
    clear(error);
    return MFA_OK;
}

static void shut(mfa_client *client)
{
    if (!client->closed) {
        client->closed = 1;
        close(client->fd);
        client->fd = -1;
    }
}

void mfa_close(mfa_client *client)
{
    if (client == NULL)
        return;
    shut(client);
    free(client->buffer);
    free(client);
}

void mfa_set_timeout(mfa_client *client, int call_timeout_ms)
{
    client->call_timeout_ms = call_timeout_ms;
}

int mfa_is_closed(const mfa_client *client)
{
    return client->closed;
}

static int send_all(mfa_client *client, const uint8_t *data, size_t length, int64_t deadline, mfa_error *error)
{
    size_t sent = 0;
    while (sent < length) {
        ssize_t n = send(client->fd, data + sent, length - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int ready = wait_fd(client->fd, POLLOUT, deadline);
            if (ready > 0)
                continue;
            if (ready == 0) {
                /* Part of the frame may be out: the stream cannot be framed any more. */
                if (sent > 0)
                    shut(client);
                return fail(error, MFA_ERR_TIMEOUT, "the request could not be sent in time%s",
                            sent > 0 ? "; the connection is closed" : "");
            }
        }
        {
            int e = errno;
            shut(client);
            return fail(error, e == EPIPE || e == ECONNRESET ? MFA_ERR_CLOSED : MFA_ERR_IO,
                        "sending failed: %s", strerror(e));
        }
    }
    return MFA_OK;
}

/* Makes room for `needed` buffered bytes. */
static int reserve(mfa_client *client, size_t needed)
{
    size_t capacity = client->capacity ? client->capacity : INITIAL_BUFFER;
    uint8_t *grown;
    if (needed <= client->capacity)
        return 0;
    while (capacity < needed)
        capacity *= 2;
    grown = realloc(client->buffer, capacity);
    if (grown == NULL)
        return -1;
    client->buffer = grown;
    client->capacity = capacity;
    return 0;
}

/* The next Response from the connection, within the deadline. */
static int receive(mfa_client *client, int64_t deadline, Mfa__V1__Response **response, mfa_error *error)
{
    for (;;) {
        size_t wanted = HEADER_LENGTH;
        ssize_t n;

        if (client->buffered >= HEADER_LENGTH) {
            uint32_t length = 0;
            /* The length is checked before any memory is taken for the body. */
            if (mfa_frame_length(client->buffer, client->max_frame_length, &length, error) != MFA_OK) {
                shut(client);
                return MFA_ERR_PROTOCOL;
            }
            wanted = HEADER_LENGTH + (size_t)length;
            if (client->buffered >= wanted) {
                int status = mfa_decode_response(client->buffer + HEADER_LENGTH, length, response, error);
                client->buffered -= wanted;
                memmove(client->buffer, client->buffer + wanted, client->buffered);
                if (status != MFA_OK)
                    shut(client);
                return status;
            }
        }
        if (reserve(client, wanted) != 0)
            return fail(error, MFA_ERR_NO_MEMORY, "out of memory");
        n = recv(client->fd, client->buffer + client->buffered, client->capacity - client->buffered, 0);
        if (n > 0) {
            client->buffered += (size_t)n;
            continue;
        }
        if (n == 0) {
            shut(client);
            return fail(error, MFA_ERR_CLOSED, "the server closed the connection");
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int ready = wait_fd(client->fd, POLLIN, deadline);
            if (ready > 0)
                continue;
            if (ready == 0)
                return fail(error, MFA_ERR_TIMEOUT, "the server did not answer in time");
        }
        {
            int e = errno;
            shut(client);
            return fail(error, e == ECONNRESET ? MFA_ERR_CLOSED : MFA_ERR_IO, "receiving failed: %s", strerror(e));
        }
    }
}

int mfa_call(mfa_client *client, const Mfa__V1__Request *request, Mfa__V1__Response **response,
             mfa_error *error)
{
    uint8_t *frame;
    size_t frame_length;
    uint64_t id;
    int64_t deadline;
    int status;

    *response = NULL;
    if (client->closed)
        return fail(error, MFA_ERR_CLOSED, "the connection is closed");
    id = request != NULL && request->id != 0 ? request->id : client->next_id++;
    if (client->next_id == 0)
        client->next_id = 1;
    status = mfa_encode_request(request, id, client->max_frame_length, &frame, &frame_length, error);
    if (status != MFA_OK)
        return status;
    deadline = now_ms() + client->call_timeout_ms;
    status = send_all(client, frame, frame_length, deadline, error);
    free(frame);
    if (status != MFA_OK)
        return status;
    for (;;) {
        Mfa__V1__Response *reply = NULL;
        status = receive(client, deadline, &reply, error);
        if (status != MFA_OK)
            return status;
        if (reply->id == id) {
            if (reply->result_case == MFA__V1__RESPONSE__RESULT_ERROR) {
                status = mfa_error_from_response(reply, error);
                mfa_response_free(reply);
                return status;
            }
            if (reply->result_case == MFA__V1__RESPONSE__RESULT__NOT_SET) {
                mfa_response_free(reply);
                return fail(error, MFA_ERR_PROTOCOL, "response %llu has no result", (unsigned long long)id);
            }
            *response = reply;
            clear(error);
            return MFA_OK;
        }
        if (reply->id == 0 && reply->result_case == MFA__V1__RESPONSE__RESULT_ERROR) {
            /* A framing error answers no request; the server closes the connection. */
            status = mfa_error_from_response(reply, error);
            mfa_response_free(reply);
            shut(client);
            return status;
        }
        mfa_response_free(reply); /* the late answer of a call that timed out */
    }
}
