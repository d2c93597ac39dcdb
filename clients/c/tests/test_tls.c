/* TLS against a real mfad: server certificate checked against a test CA, mutual TLS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mfad.h"
#include "mfaclient.h"
#include "mfaclient_rpcs.h"
#include "tests.h"

/* A CA, a server certificate for 127.0.0.1 and a client certificate, in `dir` (openssl CLI). */
static int make_certificates(const char *dir)
{
    char command[2048];
    snprintf(command, sizeof command,
             "cd '%s' && printf 'subjectAltName=IP:127.0.0.1\\n' > server.ext"
             " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
             "    -subj '/CN=mfad test CA' -keyout ca.key -out ca.pem"
             " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost"
             "    -keyout server.key -out server.csr"
             " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
             "    -extfile server.ext -out server.pem"
             " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=portal"
             "    -keyout client.key -out client.csr"
             " && openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem",
             dir);
    return system(command) == 0 ? 0 : -1;
}

/* Connects with `options` and pings; 1 when the ping came back. */
static int ping_with(uint16_t port, const mfa_options *options)
{
    mfa_client *client = NULL;
    mfa_error error;
    Mfa__V1__PingRequest request = MFA__V1__PING_REQUEST__INIT;
    Mfa__V1__PingResponse *response = NULL;
    uint8_t payload[] = {7, 8};
    int ok;
    request.payload.data = payload;
    request.payload.len = sizeof payload;
    if (mfa_connect("127.0.0.1", port, options, &client, &error) != MFA_OK)
        return 0;
    ok = mfa_ping(client, &request, &response, &error) == MFA_OK && response->payload.len == 2 &&
         response->payload.data[1] == 8;
    if (response != NULL)
        mfa__v1__ping_response__free_unpacked(response, NULL);
    mfa_close(client);
    return ok;
}

void test_tls_ping_and_mutual_tls(void)
{
    char dir[] = "/tmp/mfad-ctls-XXXXXX", ca[128], cert[128], key[128], client_cert[128], client_key[128], cleanup[160];
    test_mfad server;
    mfa_options options;

    REQUIRE(mkdtemp(dir) != NULL);
    REQUIRE(make_certificates(dir) == 0);
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    snprintf(cert, sizeof cert, "%s/server.pem", dir);
    snprintf(key, sizeof key, "%s/server.key", dir);
    snprintf(client_cert, sizeof client_cert, "%s/client.pem", dir);
    snprintf(client_key, sizeof client_key, "%s/client.key", dir);

    mfa_options_init(&options);
    options.service = TEST_MFAD_SERVICE;
    options.api_key = TEST_MFAD_API_KEY;
    options.tls = 1;
    options.tls_ca_file = ca;

    /* TLS: a client trusting the CA gets through; one trusting only the system's CAs does not. */
    if (test_mfad_start_tls(&server, cert, key, NULL) == 0) {
        CHECK(ping_with(server.port, &options));
        options.tls_ca_file = NULL;
        CHECK(!ping_with(server.port, &options));
        options.tls_ca_file = ca;
        test_mfad_stop(&server, check_failures != 0);
    } else {
        check_failures++;
    }

    /* Mutual TLS: a client certificate from the CA is required. */
    if (test_mfad_start_tls(&server, cert, key, ca) == 0) {
        CHECK(!ping_with(server.port, &options));
        options.tls_cert_file = client_cert;
        options.tls_key_file = client_key;
        CHECK(ping_with(server.port, &options));
        test_mfad_stop(&server, check_failures != 0);
    } else {
        check_failures++;
    }
    snprintf(cleanup, sizeof cleanup, "rm -rf '%s'", dir);
    CHECK(system(cleanup) == 0);
}
