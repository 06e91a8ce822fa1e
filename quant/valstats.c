/*
** valstats.c - statistics of a tensor of integer codes (see valstats.h).
*/
#include "quant/valstats.h"

#include <stdlib.h>
#include <string.h>

/* Codes are counted by magnitude first - a histogram over 0..max|code| in four interleaved
** copies, so consecutive equal magnitudes do not wait on each other's increment - and the
** magnitudes then go through the term tables once each. When the magnitudes span more than
** the tensor has values (a few 16-bit codes), each value goes through the tables directly. */
#define COPIES 4
void qaValueStatsCompute(const int32_t *codes, int64_t n, QaValueStats *st) {
  memset(st, 0, sizeof *st);
  const uint8_t *tab[QA_ENC_COUNT];
  qaTermsInit();
  for (int e = 0; e < QA_ENC_COUNT; e++) tab[e] = qaTermsTable((QaEncoder)e);
  st->n_values = n;
  uint32_t mmax = 0;
  for (int64_t i = 0; i < n; i++) {
    uint32_t m = codes[i] < 0 ? -(uint32_t)codes[i] : (uint32_t)codes[i];
    mmax = m > mmax ? m : mmax;
  }
  int64_t *hist = NULL;
  if (mmax <= QA_TERMS_VMAX && (int64_t)mmax < n) hist = calloc((size_t)(mmax + 1) * COPIES, sizeof *hist);
  if (!hist) { /* per value (also when the histogram cannot be allocated) */
    for (int64_t i = 0; i < n; i++) {
      int64_t m = llabs((long long)codes[i]);
      if (m == 0) st->n_zero++;
      for (int e = 0; e < QA_ENC_COUNT; e++) st->hist[e][m <= QA_TERMS_VMAX ? tab[e][m] : 0]++;
    }
    return;
  }
  int64_t i = 0, stride = (int64_t)mmax + 1;
  for (; i + COPIES <= n; i += COPIES)
    for (int c = 0; c < COPIES; c++) {
      uint32_t m = codes[i + c] < 0 ? -(uint32_t)codes[i + c] : (uint32_t)codes[i + c];
      hist[c * stride + m]++;
    }
  for (; i < n; i++) hist[codes[i] < 0 ? -(uint32_t)codes[i] : (uint32_t)codes[i]]++;
  for (int64_t m = 0; m < stride; m++) {
    int64_t cnt = 0;
    for (int c = 0; c < COPIES; c++) cnt += hist[c * stride + m];
    if (!cnt) continue;
    if (m == 0) st->n_zero = cnt;
    for (int e = 0; e < QA_ENC_COUNT; e++) st->hist[e][tab[e][m]] += cnt;
  }
  free(hist);
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
