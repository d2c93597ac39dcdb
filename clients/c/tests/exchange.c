#include "exchange.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *why, size_t size, const char *path, int line, const char *format, ...)
{
    char text[256];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    snprintf(why, size, "%s:%d: %s", path, line, text);
    return -1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1; /* upper case is not allowed either */
}

/* Appends the bytes of "xx xx xx" (1 to 32 of them) to the item; -1 when malformed. */
static int append_hex(exchange_item *item, const char *s, size_t n)
{
    size_t count = (n + 1) / 3, i;
    uint8_t *grown;
    if (n < 2 || (n + 1) % 3 != 0 || count > 32)
        return -1;
    for (i = 0; i < count; i++) {
        const char *p = s + 3 * i;
        if (hexval(p[0]) < 0 || hexval(p[1]) < 0 || (i + 1 < count && p[2] != ' '))
            return -1;
    }
    grown = realloc(item->data, item->length + count);
    if (grown == NULL)
        return -1;
    item->data = grown;
    for (i = 0; i < count; i++)
        item->data[item->length + i] = (uint8_t)(hexval(s[3 * i]) << 4 | hexval(s[3 * i + 1]));
    item->length += count;
    return 0;
}

static exchange_item *add_item(exchange *ex, exchange_item_kind kind, int line)
{
    exchange_item *grown = realloc(ex->items, (ex->count + 1) * sizeof *grown);
    if (grown == NULL)
        return NULL;
    ex->items = grown;
    memset(&ex->items[ex->count], 0, sizeof ex->items[0]);
    ex->items[ex->count].kind = kind;
    ex->items[ex->count].line = line;
    return &ex->items[ex->count++];
}

int exchange_parse(const char *text, const char *path, exchange *out, char *why, size_t why_size)
{
    const char *p = text;
    int line = 0;
    exchange_item *current = NULL;
    int current_has_comment = 0;

    memset(out, 0, sizeof *out);
    out->path = strdup(path);
    while (*p != '\0') {
        const char *end = strchr(p, '\n');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        line++;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n > 0 && p[0] == '#') {
            if (current != NULL)
                current_has_comment = 1;
        } else if (strspn(p, " \t") >= n) {
            current = NULL;
        } else if (n >= 2 && p[0] == ' ' && p[1] == ' ' && (n < 3 || p[2] != ' ')) {
            if (current == NULL || current_has_comment)
                goto fail_continuation;
            if (append_hex(current, p + 2, n - 2) != 0)
                goto fail_hex;
        } else if (n >= 2 && (p[0] == '>' || p[0] == '<') && p[1] == ' ') {
            current = add_item(out, p[0] == '>' ? ITEM_CLIENT_FRAME : ITEM_SERVER_FRAME, line);
            current_has_comment = 0;
            if (current == NULL || append_hex(current, p + 2, n - 2) != 0)
                goto fail_hex;
        } else if (n == 8 && memcmp(p, "! closed", 8) == 0) {
            add_item(out, ITEM_CLOSED, line);
            current = NULL;
        } else if (n == 11 && memcmp(p, "! reconnect", 11) == 0) {
            add_item(out, ITEM_RECONNECT, line);
            current = NULL;
        } else if ((n == 9 || (n > 10 && p[9] == ' ')) && memcmp(p, "! restart", 9) == 0) {
            add_item(out, ITEM_RESTART, line);
            current = NULL;
        } else if ((n == 15 || (n > 16 && p[15] == ' ')) && memcmp(p, "! refused-start", 15) == 0) {
            add_item(out, ITEM_REFUSED_START, line);
            current = NULL;
        } else {
            bad(why, why_size, path, line, "unexpected line");
            exchange_free(out);
            return -1;
        }
        p += (end != NULL ? (size_t)(end - p) + 1 : n);
        if (end == NULL)
            break;
    }
    return 0;
fail_continuation:
    bad(why, why_size, path, line, "continuation line outside a frame");
    exchange_free(out);
    return -1;
fail_hex:
    bad(why, why_size, path, line, "expected at most 32 lower-case hex bytes separated by single spaces");
    exchange_free(out);
    return -1;
}

int exchange_load(const char *path, exchange *out, char *why, size_t why_size)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long size;
    int rc;

    memset(out, 0, sizeof *out);
    if (f == NULL) {
        snprintf(why, why_size, "%s: cannot open", path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    if (text == NULL || fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        fclose(f);
        snprintf(why, why_size, "%s: cannot read", path);
        return -1;
    }
    text[size] = '\0';
    fclose(f);
    rc = exchange_parse(text, path, out, why, why_size);
    free(text);
    return rc;
}

void exchange_free(exchange *ex)
{
    size_t i;
    for (i = 0; i < ex->count; i++)
        free(ex->items[i].data);
    free(ex->items);
    free(ex->path);
    memset(ex, 0, sizeof *ex);
}

int exchange_frame_well_formed(const exchange_item *item)
{
    uint32_t n;
    if (item->length < 4)
        return 0;
    n = (uint32_t)item->data[0] << 24 | (uint32_t)item->data[1] << 16 | (uint32_t)item->data[2] << 8 | item->data[3];
    return (size_t)n == item->length - 4;
}

static int is_exchange(const struct dirent *entry)
{
    size_t n = strlen(entry->d_name);
    return n > 9 && strcmp(entry->d_name + n - 9, ".exchange") == 0;
}

char **exchange_files(const char *dirs, size_t *count)
{
    char **files = NULL;
    char *copy = strdup(dirs), *save = NULL, *dir;
    *count = 0;
    for (dir = strtok_r(copy, ":", &save); dir != NULL; dir = strtok_r(NULL, ":", &save)) {
        struct dirent **entries;
        int n = scandir(dir, &entries, is_exchange, alphasort), i;
        if (n < 0)
            continue;
        for (i = 0; i < n; i++) {
            size_t len = strlen(dir) + strlen(entries[i]->d_name) + 2;
            char **grown = realloc(files, (*count + 1) * sizeof *files);
            if (grown != NULL) {
                files = grown;
                files[*count] = malloc(len);
                snprintf(files[*count], len, "%s/%s", dir, entries[i]->d_name);
                (*count)++;
            }
            free(entries[i]);
        }
        free(entries);
    }
    free(copy);
    return files;
}

void exchange_files_free(char **files, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++)
        free(files[i]);
    free(files);
}
