#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a macro casting -1 to a function pointer; it does not import into Swift.
 * Binding text or a blob with it makes SQLite copy the bytes before the bind call returns, so
 * Swift's temporary pointers are never kept by SQLite. */
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
