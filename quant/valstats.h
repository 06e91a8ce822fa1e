/*
** valstats.h - statistics of a tensor of integer codes: what decides the speed of
** value-dependent accelerators.
**
** For the codes a layer runs on (activations or weights), per tensor: the fraction of
** zeros, the mean number of one-bits of |code| (popcount, what a bit-serial engine that
** skips zero bits sees), the mean number of terms per value for each term encoder of
** quant/terms.h (booth4, naf: what a term-serial engine processes) and, per encoder, the
** distribution of terms per value (0 .. QA_TERMS_MAX terms). popcount's terms are the
** one-bits, so its mean and distribution are the one-bit ones.
*/
#ifndef QA_VALSTATS_H
#define QA_VALSTATS_H

#include "quant/terms.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QaValueStats {
  int64_t n_values;                             /* values counted */
  int64_t n_zero;                               /* of them exactly 0 */
  int64_t hist[QA_ENC_COUNT][QA_TERMS_MAX + 1]; /* values with t terms, per encoder */
} QaValueStats;

/* Count N codes (|code| <= QA_TERMS_VMAX; larger magnitudes are counted as zero terms,
** which cannot happen for codes of at most 16 bits) into *st (zeroed first). */
void qaValueStatsCompute(const int32_t *codes, int64_t n, QaValueStats *st);
/* The same, adding N more codes to *st (a tensor counted in parts: the same counts). */
void qaValueStatsAdd(const int32_t *codes, int64_t n, QaValueStats *st);

/* Derived figures: the zero fraction (0 for an empty tensor), the mean terms per value of
** encoder E (QA_ENC_POPCOUNT: mean one-bits). */
double qaValueStatsZeroFrac(const QaValueStats *st);
double qaValueStatsMeanTerms(const QaValueStats *st, QaEncoder e);

#ifdef __cplusplus
}
#endif
#endif /* QA_VALSTATS_H */
