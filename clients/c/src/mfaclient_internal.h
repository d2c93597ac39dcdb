/* Shared by mfaclient.c and the generated mfaclient_rpcs.c; not installed. */
#ifndef MFACLIENT_INTERNAL_H
#define MFACLIENT_INTERNAL_H

#include "mfaclient.h"

/* Frees `reply` (an answer with another RPC's result) and reports MFA_ERR_PROTOCOL. */
int mfa__unexpected_result(Mfa__V1__Response *reply, const char *rpc, mfa_error *error);

#endif
