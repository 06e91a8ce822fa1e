/*
** valstats.c - statistics of a tensor of integer codes (see valstats.h).
*/
#include "quant/valstats.h"

#include <stdlib.h>
#include <string.h>

void qaValueStatsCompute(const int32_t *codes, int64_t n, QaValueStats *st) {
  memset(st, 0, sizeof *st);
  const uint8_t *tab[QA_ENC_COUNT];
  qaTermsInit();
  for (int e = 0; e < QA_ENC_COUNT; e++) tab[e] = qaTermsTable((QaEncoder)e);
  st->n_values = n;
  for (int64_t i = 0; i < n; i++) {
    int64_t m = llabs((long long)codes[i]);
    if (m == 0) {
      st->n_zero++;
      for (int e = 0; e < QA_ENC_COUNT; e++) st->hist[e][0]++;
      continue;
    }
    for (int e = 0; e < QA_ENC_COUNT; e++) st->hist[e][m <= QA_TERMS_VMAX ? tab[e][m] : 0]++;
  }
}

void qaValueStatsAdd(const int32_t *codes, int64_t n, QaValueStats *st) {
  QaValueStats part;
  qaValueStatsCompute(codes, n, &part);
  st->n_values += part.n_values;
  st->n_zero += part.n_zero;
  for (int e = 0; e < QA_ENC_COUNT; e++)
    for (int t = 0; t <= QA_TERMS_MAX; t++) st->hist[e][t] += part.hist[e][t];
}

double qaValueStatsZeroFrac(const QaValueStats *st) {
  return st->n_values ? (double)st->n_zero / (double)st->n_values : 0.0;
}

double qaValueStatsMeanTerms(const QaValueStats *st, QaEncoder e) {
  if (!st->n_values || (unsigned)e >= QA_ENC_COUNT) return 0.0;
  double sum = 0;
  for (int t = 0; t <= QA_TERMS_MAX; t++) sum += (double)t * (double)st->hist[e][t];
  return sum / (double)st->n_values;
}
