#define _GNU_SOURCE
#include "mfad.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MFA_DEFAULT_MFAD_BIN
#define MFA_DEFAULT_MFAD_BIN "../../.build/debug/mfad"
#endif

static uint16_t free_port(void)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    close(fd);
    return ntohs(addr.sin_port);
}

static int can_connect(uint16_t port)
{
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0), ok;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    ok = fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static void print_log(const test_mfad *server)
{
    char buffer[4096];
    FILE *f = fopen(server->log_path, "r");
    size_t n;
    long size;
    if (f == NULL)
        return;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, size > (long)sizeof buffer ? size - (long)sizeof buffer : 0, SEEK_SET);
    n = fread(buffer, 1, sizeof buffer, f);
    fclose(f);
    fprintf(stderr, "--- mfad log ---\n%.*s\n", (int)n, buffer);
}

/* Registers the test API key in the database (`mfad keys create`), as every server requires it. */
static int run_key_create(const char *bin, const char *db)
{
    int status;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
            close(null);
        }
        execl(bin, bin, "keys", "create", TEST_MFAD_SERVICE, "--key", TEST_MFAD_API_KEY, "--test-mode", "--seed", "1",
              "--db", db, (char *)NULL);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int test_mfad_start(test_mfad *server)
{
    const char *bin = getenv("MFAD_BIN");
    char db[300], port[8];
    struct timespec pause = {0, 50 * 1000 * 1000};
    int i;

    if (bin == NULL || *bin == '\0')
        bin = MFA_DEFAULT_MFAD_BIN;
    memset(server, 0, sizeof *server);
    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "  mfad not found at %s: build it with `swift build --product mfad` or set MFAD_BIN\n", bin);
        return -1;
    }
    snprintf(server->directory, sizeof server->directory, "/tmp/mfad-ctest-XXXXXX");
    if (mkdtemp(server->directory) == NULL) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(db, sizeof db, "%s/mfa.sqlite", server->directory);
    snprintf(server->log_path, sizeof server->log_path, "%s/mfad.log", server->directory);
    server->port = free_port();
    snprintf(port, sizeof port, "%u", (unsigned)server->port);
    if (run_key_create(bin, db) != 0) {
        fprintf(stderr, "  mfad keys create failed\n");
        return -1;
    }
    server->pid = fork();
    if (server->pid < 0) {
        perror("fork");
        return -1;
    }
    if (server->pid == 0) {
        int log = open(server->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (log >= 0) {
            dup2(log, STDOUT_FILENO);
            dup2(log, STDERR_FILENO);
            close(log);
        }
        execl(bin, bin, "--test-mode", "--seed", "1", "--db", db, "--host", "127.0.0.1", "--port", port,
              (char *)NULL);
        _exit(127);
    }
    for (i = 0; i < 1200; i++) { /* 60 s */
        int status;
        if (waitpid(server->pid, &status, WNOHANG) == server->pid) {
            fprintf(stderr, "  mfad exited early\n");
            print_log(server);
            server->pid = 0;
            test_mfad_stop(server, 0);
            return -1;
        }
        if (can_connect(server->port))
            return 0;
        nanosleep(&pause, NULL);
    }
    fprintf(stderr, "  mfad did not listen within 60 s\n");
    test_mfad_stop(server, 1);
    return -1;
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

void test_mfad_stop(test_mfad *server, int show_log)
{
    if (server->pid > 0) {
        int status, i;
        kill(server->pid, SIGTERM);
        for (i = 0; i < 200 && waitpid(server->pid, &status, WNOHANG) != server->pid; i++) {
            struct timespec pause = {0, 50 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
        if (i == 200) {
            kill(server->pid, SIGKILL);
            waitpid(server->pid, &status, 0);
        }
        server->pid = 0;
    }
    if (show_log)
        print_log(server);
    if (server->directory[0] != '\0')
        nftw(server->directory, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}
