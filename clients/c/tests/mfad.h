/* A real `mfad --test-mode --seed 1` on a fresh database and a free port, for the live tests. */
#ifndef MFA_TEST_MFAD_H
#define MFA_TEST_MFAD_H

/* The calling service and API key registered in every test database. */
#define TEST_MFAD_SERVICE "ctest"
#define TEST_MFAD_API_KEY "mfak_c-client-test-key-not-a-secret"

#include <stdint.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    uint16_t port;
    char directory[256];
    char log_path[300];
} test_mfad;

/* Starts $MFAD_BIN (default: the repository's .build/debug/mfad) and waits until it listens.
 * Returns 0, or -1 with the reason printed. */
int test_mfad_start(test_mfad *server);
/* SIGTERM (then SIGKILL), wait, remove the directory. Prints the log's tail when show_log. */
void test_mfad_stop(test_mfad *server, int show_log);

#endif
