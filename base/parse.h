/*
** parse.h - strict parsing of numbers written by a user: command-line values, config and
** YAML scalars.
**
** The whole text must be the number: no leading or trailing spaces, no trailing junk,
** no empty text. Integers are decimal ("-12", "0042" is 42); qaParseUint64 also takes
** hexadecimal with a 0x prefix ("0x1f") and never a sign. Reals are decimal with an
** optional fraction and exponent ("0.5", ".5", "1e-3"); nan, inf and hexadecimal floats
** are rejected, as is any value that overflows. Every parser checks an inclusive range
** [lo, hi]. On error the message names the field ("--seed", "run id", "file.yaml:4:
** tiles") and the offending text, e.g.
**   --seed: '1e3' is not a non-negative integer
**   --bits: 17 is out of range [1, 16]
*/
#ifndef QA_PARSE_H
#define QA_PARSE_H

#include <stdint.h>

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parse TEXT as a decimal integer in [lo, hi] into *out. FIELD (may be NULL) names the
** value in the message. Returns QA_OK, or QA_EUSER with *out unchanged. */
int qaParseInt64(const char *text, const char *field, int64_t lo, int64_t hi, int64_t *out, QaErr *err);

/* Parse TEXT as a non-negative decimal or 0x-hexadecimal integer in [lo, hi] into *out.
** A sign ("-5", "+5") is an error. Returns QA_OK, or QA_EUSER with *out unchanged. */
int qaParseUint64(const char *text, const char *field, uint64_t lo, uint64_t hi, uint64_t *out, QaErr *err);

/* Parse TEXT as a finite decimal real in [lo, hi] into *out. Returns QA_OK, or QA_EUSER
** with *out unchanged (nan, inf and overflow included). */
int qaParseDouble(const char *text, const char *field, double lo, double hi, double *out, QaErr *err);

/* Parse TEXT as a memory size in bytes into *out: a decimal number with an optional unit
** K, M, G or T (powers of 1024; KiB/MiB/GiB/TiB and KB/MB/GB/TB read the same, B or none
** is bytes), e.g. "512M", "1.5G", "4096". The size must be in [lo, hi] bytes. Returns
** QA_OK, or QA_EUSER with *out unchanged. */
int qaParseSize(const char *text, const char *field, int64_t lo, int64_t hi, int64_t *out, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_PARSE_H */
