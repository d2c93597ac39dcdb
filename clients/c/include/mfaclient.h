/* libmfaclient: a blocking C client for mfad.
 *
 * The wire protocol: a TCP connection carries frames, each a 4-byte unsigned big-endian length N
 * then N bytes of protobuf (at most 1 MiB). The client sends mfa.v1.Request envelopes (id,
 * protocol_version 1, one call) and the server answers each with an mfa.v1.Response carrying the
 * same id and either the call's result or an Error. The messages are protobuf-c's, generated from
 * proto/mfa/v1/mfa.proto into Sources/CMFAProto (mfa/v1/mfa.pb-c.h).
 *
 *     mfa_client *client;
 *     mfa_error error;
 *     if (mfa_connect("127.0.0.1", MFA_DEFAULT_PORT, NULL, &client, &error) != MFA_OK) { ... }
 *     Mfa__V1__LoginRequest login = MFA__V1__LOGIN_REQUEST__INIT;
 *     login.email = "ada@example.com";
 *     login.password = "correct horse";
 *     Mfa__V1__LoginResponse *answer;
 *     if (mfa_login(client, &login, &answer, &error) == MFA_OK) {
 *         ...answer->challenge_id...
 *         mfa__v1__login_response__free_unpacked(answer, NULL);
 *     } else if (error.status == MFA_ERR_SERVER) {
 *         printf("%s: %s\n", mfa_error_code_name(error.code), error.message);
 *     }
 *     mfa_close(client);
 *
 * One call per RPC is declared in mfaclient_rpcs.h (generated); mfa_call() is the generic one.
 * A client is one connection and is not thread-safe: use one per thread, or a lock.
 */
#ifndef MFACLIENT_H
#define MFACLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "mfa/v1/mfa.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MFA_DEFAULT_PORT 7370
#define MFA_PROTOCOL_VERSION 1u
/* The largest frame body, in bytes: the server's default maximum. */
#define MFA_MAX_FRAME_LENGTH (1u << 20)
#define MFA_ERROR_MESSAGE_SIZE 512

/* What a call returns. */
typedef enum {
    MFA_OK = 0,
    /* The server answered with an Error: error.code, message, attempts, retry-after. The
     * connection stays usable, except after a connection-level error (request_id 0). */
    MFA_ERR_SERVER,
    /* The connection could not be opened. */
    MFA_ERR_CONNECT,
    /* No answer in time. The connection stays usable (a late answer is recognised by its id and
     * dropped) unless the request itself could not be sent whole; then it is closed. */
    MFA_ERR_TIMEOUT,
    /* The connection is closed (by the server, or after an earlier failure). */
    MFA_ERR_CLOSED,
    /* The server sent something invalid: a frame over the maximum or bytes that are not a
     * Response (the connection is then closed), or another RPC's result. */
    MFA_ERR_PROTOCOL,
    /* The request cannot be sent: no call set, or its frame is over the maximum. */
    MFA_ERR_INVALID_REQUEST,
    MFA_ERR_NO_MEMORY,
    /* A system call failed (errno is in the message). The connection is closed. */
    MFA_ERR_IO
} mfa_status;

/* Why a call failed. `code` is the server's Mfa__V1__ErrorCode (MFA_ERR_SERVER only, else 0). */
typedef struct {
    mfa_status status;
    int code;
    char message[MFA_ERROR_MESSAGE_SIZE]; /* NUL-terminated; cut at a UTF-8 boundary if longer */
    uint32_t attempts_remaining;
    uint32_t retry_after_seconds;
    uint64_t request_id; /* the request answered; 0 for a connection-level error */
} mfa_error;

typedef struct {
    int connect_timeout_ms;  /* default 5000 */
    int call_timeout_ms;     /* default 30000; per call, from sending to the answer */
    size_t max_frame_length; /* default MFA_MAX_FRAME_LENGTH, for requests and responses */
    const char *service;     /* default NULL; with api_key, mfa_connect sends Authenticate */
    const char *api_key;     /* default NULL (a server running with --dev needs none) */
} mfa_options;

typedef struct mfa_client mfa_client;

/* The defaults. */
void mfa_options_init(mfa_options *options);

/* Opens a connection to host:port (a name or an address, IPv4 or IPv6) within the connect
 * timeout and, when options->api_key is set, authenticates it as options->service (SPEC 4): a
 * refused key returns MFA_ERR_SERVER with the server's error and no client. options may be NULL
 * (defaults). On MFA_OK, *client is set; close it with mfa_close. */
int mfa_connect(const char *host, uint16_t port, const mfa_options *options, mfa_client **client,
                mfa_error *error);

/* A client over an already connected stream socket (a Unix socket, a test's socket pair). Takes
 * ownership of fd (mfa_close closes it). Returns NULL when out of memory (fd is then closed). */
mfa_client *mfa_client_from_fd(int fd, const mfa_options *options);

/* Closes the connection and frees the client. NULL is allowed. */
void mfa_close(mfa_client *client);

/* The default timeout of later calls. */
void mfa_set_timeout(mfa_client *client, int call_timeout_ms);

/* 1 when the connection is closed: every later call answers MFA_ERR_CLOSED. */
int mfa_is_closed(const mfa_client *client);

/* Sends `request` and waits for its answer.
 * The client sets request's protocol_version to 1 and its id: request->id when non-zero, else
 * the next of 1, 2, 3, ... (the request itself is not modified). On MFA_OK, *response is the
 * Response (its result is never an error); free it with mfa_response_free. Otherwise *response
 * is NULL and *error says why. error may be NULL. */
int mfa_call(mfa_client *client, const Mfa__V1__Request *request, Mfa__V1__Response **response,
             mfa_error *error);

void mfa_response_free(Mfa__V1__Response *response);

/* "ERROR_CODE_LOCKED" for 12; "ERROR_CODE_UNRECOGNIZED" for a code this build does not know. */
const char *mfa_error_code_name(int code);

/* "MFA_ERR_TIMEOUT" and so on. */
const char *mfa_status_name(int status);

/* ---- The frame layer, as mfa_call uses it (for tools and tests) --------------------------- */

/* The whole frame (length prefix included) of `request` with the given id and protocol version
 * 1, in a buffer from malloc (free it). MFA_ERR_INVALID_REQUEST over max_frame_length. */
int mfa_encode_request(const Mfa__V1__Request *request, uint64_t id, size_t max_frame_length,
                       uint8_t **frame, size_t *frame_length, mfa_error *error);

/* The body length announced by a 4-byte header; MFA_ERR_PROTOCOL over max_frame_length. */
int mfa_frame_length(const uint8_t header[4], size_t max_frame_length, uint32_t *length,
                     mfa_error *error);

/* A Response from a frame body; MFA_ERR_PROTOCOL when the bytes are not one. Free it with
 * mfa_response_free. */
int mfa_decode_response(const uint8_t *body, size_t length, Mfa__V1__Response **response,
                        mfa_error *error);

/* Fills *error from a Response's Error (status MFA_ERR_SERVER) and returns MFA_ERR_SERVER. */
int mfa_error_from_response(const Mfa__V1__Response *response, mfa_error *error);

#ifdef __cplusplus
}
#endif

#include "mfaclient_rpcs.h"

#endif
