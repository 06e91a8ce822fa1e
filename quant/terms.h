/*
** terms.h - term encoders: integers as lists of signed powers of two.
**
** A term is (sign, exponent) meaning sign * 2^exponent. Every encoder works on the
** magnitude |v| and gives every term the sign of v (sign-magnitude), so the
** terms of v sum back to v exactly. Magnitudes up to 2^16 are supported
** (QA_TERMS_VMAX), which covers signed and unsigned 16-bit codes.
**   popcount - the one-bits of |v|: up to n terms for an n-bit magnitude.
**   booth4   - radix-4 modified Booth recoding of |v|: digits in {0,+-1,+-2} per
**              pair of bits, each non-zero digit one term; at most floor(n/2)+1 terms.
**   naf      - canonical signed digit / non-adjacent form: minimal number of terms,
**              no two adjacent exponents; at most ceil((n+1)/2) terms.
** Zero has zero terms (an architecture decides what a zero costs).
*/
#ifndef QA_TERMS_H
#define QA_TERMS_H

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_TERMS_MAX 18
#define QA_TERMS_VMAX 65536

typedef enum QaEncoder { QA_ENC_POPCOUNT = 0, QA_ENC_BOOTH4, QA_ENC_NAF, QA_ENC_COUNT } QaEncoder;

typedef struct QaTerm {
  int8_t sign; /* +1 or -1 */
  int8_t exp;  /* 0..17 */
} QaTerm;

const char *qaEncoderName(QaEncoder e); /* "popcount", "booth4", "naf" */
/* Parse a name (also accepts "booth", "csd"); QA_EUSER listing valid names on error. */
int qaEncoderParse(const char *name, QaEncoder *out, QaErr *err);

/* Encode v (|v| <= QA_TERMS_VMAX) into out[QA_TERMS_MAX], lowest exponent first.
** Returns the number of terms (0 for v == 0), or -1 if |v| is out of range. */
int qaTermsEncode(QaEncoder e, int32_t v, QaTerm *out);

/* Number of terms of v, from a precomputed table (fast; thread-safe after the
** first call of qaTermsInit()). Returns -1 if |v| is out of range. */
int qaTermsCount(QaEncoder e, int32_t v);

/* Build the count tables (idempotent). Called lazily by qaTermsCount too. */
void qaTermsInit(void);

/* Direct access to the count table of an encoder: counts for |v| = 0..QA_TERMS_VMAX. */
const uint8_t *qaTermsTable(QaEncoder e);

/* Term positions of every magnitude 0..QA_TERMS_VMAX as bit masks: bit x of pos[m] is set
** if m's encoding has a term 2^x, and bit x of neg[m] if that term is negative (the
** terms of one magnitude have distinct exponents in every encoder; the popcount masks
** are m itself and 0). NULL for an invalid encoder. Thread-safe like qaTermsTable. */
const uint32_t *qaTermsPosMask(QaEncoder e);
const uint32_t *qaTermsNegMask(QaEncoder e);

#ifdef __cplusplus
}
#endif
#endif /* QA_TERMS_H */
