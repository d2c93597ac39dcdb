/* Reader of conformance exchange files (format: Tests/Conformance/README.md). */
#ifndef MFA_EXCHANGE_H
#define MFA_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

/* ITEM_CLOSED: the server closes the connection; ITEM_RECONNECT: a new connection to the same
 * server; ITEM_RESTART ("! restart ARGS"): the server restarts, then a new connection;
 * ITEM_REFUSED_START ("! refused-start ARGS"): the server refuses to start with ARGS (server side
 * only: nothing crosses the wire). */
typedef enum { ITEM_CLIENT_FRAME, ITEM_SERVER_FRAME, ITEM_CLOSED, ITEM_RECONNECT, ITEM_RESTART, ITEM_REFUSED_START } exchange_item_kind;

typedef struct {
    exchange_item_kind kind;
    uint8_t *data; /* frames: the whole frame, length prefix included */
    size_t length;
    int line;      /* where the item starts, 1-based */
} exchange_item;

typedef struct {
    char *path;
    exchange_item *items;
    size_t count;
} exchange;

/* Parses `text`; on a format error returns -1 and describes it (with the line) in `why`. */
int exchange_parse(const char *text, const char *path, exchange *out, char *why, size_t why_size);
int exchange_load(const char *path, exchange *out, char *why, size_t why_size);
void exchange_free(exchange *ex);

/* 1 when a frame's length prefix matches the bytes after it. */
int exchange_frame_well_formed(const exchange_item *item);

/* Every *.exchange of the directories in `dirs` (separated by ':'; missing ones are skipped),
 * sorted by name within each directory. Free with exchange_files_free. */
char **exchange_files(const char *dirs, size_t *count);
void exchange_files_free(char **files, size_t count);

#endif
