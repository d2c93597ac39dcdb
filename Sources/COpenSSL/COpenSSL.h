#ifndef MFAD_COPENSSL_H
#define MFAD_COPENSSL_H

// Shim header for libcrypto (OpenSSL 3). Only what MFACrypto uses: CSPRNG, one-shot HMAC,
// message digests and the constant-time compare. Do not add deprecated APIs (HMAC_CTX_*).
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#endif
