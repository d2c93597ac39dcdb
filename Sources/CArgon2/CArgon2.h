#ifndef MFAD_CARGON2_H
#define MFAD_CARGON2_H

// Shim header for the Argon2 reference library (libargon2). Its constants are C macros that do
// not import into Swift, so the few MFACrypto needs are wrapped as prefixed functions.
#include <argon2.h>
#include <stdint.h>

/// ARGON2_VERSION_13 (0x13 = 19), the only version MFACrypto writes.
static inline uint32_t c_argon2_version_number(void) { return (uint32_t)ARGON2_VERSION_NUMBER; }

/// ARGON2_MIN_SALT_LENGTH (8 bytes).
static inline uint32_t c_argon2_min_salt_length(void) { return ARGON2_MIN_SALT_LENGTH; }

#endif
