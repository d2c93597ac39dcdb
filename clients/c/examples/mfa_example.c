/* mfa-example: the C client in a few lines.
 *
 *   mfa-example [HOST [PORT]]                 ping the server and print what it is
 *   MFA_PASSWORD=... mfa-example HOST PORT login EMAIL
 *                                             log in: prints the session, or the challenge
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mfaclient.h"

static int report(const char *what, const mfa_error *error)
{
    if (error->status == MFA_ERR_SERVER)
        fprintf(stderr, "%s: %s: %s\n", what, mfa_error_code_name(error->code), error->message);
    else
        fprintf(stderr, "%s: %s: %s\n", what, mfa_status_name(error->status), error->message);
    return 1;
}

int main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    uint16_t port = argc > 2 ? (uint16_t)atoi(argv[2]) : MFA_DEFAULT_PORT;
    mfa_client *client;
    mfa_error error;
    mfa_options options;
    Mfa__V1__ServerInfoResponse *info;
    int status = 0;

    /* The calling service's credentials (`mfad keys create SERVICE`), unless the server runs --dev. */
    mfa_options_init(&options);
    options.service = getenv("MFAD_SERVICE");
    options.api_key = getenv("MFAD_API_KEY");
    if (mfa_connect(host, port, &options, &client, &error) != MFA_OK)
        return report("connect", &error);
    if (mfa_server_info(client, NULL, &info, &error) != MFA_OK) {
        status = report("ServerInfo", &error);
    } else {
        printf("mfad %s, protocol %u, %zu RPCs%s\n", info->version, info->protocol_version, info->n_rpcs,
               info->test_mode ? ", test mode" : "");
        mfa__v1__server_info_response__free_unpacked(info, NULL);
    }
    if (status == 0 && argc > 4 && strcmp(argv[3], "login") == 0) {
        Mfa__V1__LoginRequest login = MFA__V1__LOGIN_REQUEST__INIT;
        Mfa__V1__LoginResponse *answer;
        login.email = argv[4];
        login.password = getenv("MFA_PASSWORD") ? getenv("MFA_PASSWORD") : "";
        login.client_info = "mfa-example";
        if (mfa_login(client, &login, &answer, &error) != MFA_OK) {
            status = report("Login", &error);
        } else {
            if (answer->session_token[0] != '\0')
                printf("session: %s\n", answer->session_token);
            else
                printf("challenge: %s (reason %s)\n", answer->challenge_id, answer->reason);
            mfa__v1__login_response__free_unpacked(answer, NULL);
        }
    }
    mfa_close(client);
    return status;
}
