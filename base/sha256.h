/*
** sha256.h - SHA-256 (FIPS 180-4) of byte strings and files, for identities that must not
** collide: a design point's identity (sim/identity.h) and the content of the files it
** depends on (traces, cost tables). Incremental: Init, Update any number of times, Final.
** qaHash64 (qa.h) stays the quick 64-bit hash for in-memory keys.
*/
#ifndef QA_SHA256_H
#define QA_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_SHA256_HEX 65 /* 64 hex digits + NUL */

typedef struct QaSha256 {
  uint32_t h[8];
  uint64_t n_bytes; /* bytes hashed so far */
  uint8_t buf[64];  /* a partial block */
  size_t n_buf;     /* bytes in buf */
} QaSha256;

void qaSha256Init(QaSha256 *s);
void qaSha256Update(QaSha256 *s, const void *data, size_t len);
/* Finish: the digest as 64 lower-case hex digits into out (s must be re-initialised to be
** used again). */
void qaSha256Final(QaSha256 *s, char out[QA_SHA256_HEX]);

/* SHA-256 of a byte string, as hex. */
void qaSha256Hex(const void *data, size_t len, char out[QA_SHA256_HEX]);

/* SHA-256 of the bytes of file PATH, as hex. QA_EUSER "PATH: cannot read: ..." if it
** cannot be opened or read. */
int qaSha256File(const char *path, char out[QA_SHA256_HEX], QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_SHA256_H */
