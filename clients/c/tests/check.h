/* A small test runner: TEST functions listed in a table, CHECK macros that record failures and
 * go on, and a last line "N passed, N failed". */
#ifndef MFA_CHECK_H
#define MFA_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

extern int check_failures; /* failures in the test running now */

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                          \
        }                                                                              \
    } while (0)

#define CHECK_INT(a, b)                                                                        \
    do {                                                                                       \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                        \
        if (check_a_ != check_b_) {                                                            \
            fprintf(stderr, "  %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, \
                    #a, check_a_, #b, check_b_);                                               \
            check_failures++;                                                                  \
        }                                                                                      \
    } while (0)

#define CHECK_STR(a, b)                                                                         \
    do {                                                                                        \
        const char *check_a_ = (a), *check_b_ = (b);                                            \
        if (check_a_ == NULL || check_b_ == NULL || strcmp(check_a_, check_b_) != 0) {          \
            fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
                    check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)");            \
            check_failures++;                                                                   \
        }                                                                                       \
    } while (0)

/* Stops the current test when `cond` is false (later steps depend on it). */
#define REQUIRE(cond)                                                                    \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "  %s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                            \
            return;                                                                      \
        }                                                                                \
    } while (0)

typedef struct {
    const char *name;
    void (*run)(void);
} test_case;

#endif
