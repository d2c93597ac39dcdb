/* Runs every test (or those whose name contains argv[1]) and ends with "N passed, N failed". */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "tests.h"

int check_failures;

#define MFA_TEST_ENTRY(name) {#name, name},
static const test_case tests[] = {MFA_TESTS(MFA_TEST_ENTRY)};

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    size_t i;
    setvbuf(stdout, NULL, _IONBF, 0);
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (argc > 1 && strstr(tests[i].name, argv[1]) == NULL)
            continue;
        check_failures = 0;
        tests[i].run();
        if (check_failures == 0) {
            passed++;
            printf("ok   %s\n", tests[i].name);
        } else {
            failed++;
            printf("FAIL %s (%d failed checks)\n", tests[i].name, check_failures);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
