/*
** test_terms.c - exhaustive checks of the term encoders over every v in
** [-QA_TERMS_VMAX, QA_TERMS_VMAX]: exact reconstruction, table == encoder, ordering,
** NAF non-adjacency and minimality (against an independent dynamic program), the
** per-width bounds and their tightness, known encodings, range errors, name parsing.
*/
#include <stdlib.h>
#include <string.h>

#include "qatest.h"
#include "quant/terms.h"
#include "quant/valstats.h"
#include "base/rng.h"

#define VMAX QA_TERMS_VMAX

/* Minimal number of signed power-of-two terms of every magnitude, by a dynamic
** program independent of the NAF rule: w(0) = 0, w(2m) = w(m),
** w(2m+1) = 1 + min(w(m), w(m+1)) (the last digit of an odd number is +-1). */
static uint8_t g_minw[VMAX + 2];
static void buildMinWeight(void) {
  g_minw[0] = 0;
  g_minw[1] = 1;
  /* Odd m = 2j+1 reads w(j) and w(j+1), both already filled (j+1 < m). */
  for (uint32_t m = 2; m <= VMAX + 1; m++) {
    if (m % 2 == 0) {
      g_minw[m] = g_minw[m / 2];
    } else {
      uint8_t a = g_minw[m / 2], b = g_minw[m / 2 + 1];
      g_minw[m] = (uint8_t)(1 + (a < b ? a : b));
    }
  }
}

/* The masks of magnitude m describe exactly the terms t[0..n) of +m. */
static int masksMatch(const QaTerm *t, int n, uint32_t pos, uint32_t neg) {
  uint32_t p = 0, q = 0;
  for (int i = 0; i < n; i++) {
    p |= 1u << t[i].exp;
    if (t[i].sign < 0) q |= 1u << t[i].exp;
  }
  return p == pos && q == neg && __builtin_popcount(pos) == n;
}

static void checkExhaustive(QaEncoder e) {
  QaTerm t[QA_TERMS_MAX];
  const uint8_t *tab = qaTermsTable(e);
  const uint32_t *pos = qaTermsPosMask(e), *negm = qaTermsNegMask(e);
  int64_t bad = 0;
  int32_t first_bad = 0;
  const char *why = "";
  for (int32_t v = -VMAX; v <= VMAX; v++) {
    int n = qaTermsEncode(e, v, t);
    int64_t sum = 0;
    const char *fail = NULL;
    if (n < 0 || n > QA_TERMS_MAX) {
      fail = "term count out of range";
    } else {
      for (int i = 0; i < n && !fail; i++) {
        if (t[i].sign != 1 && t[i].sign != -1)
          fail = "sign not +-1";
        else if (t[i].exp < 0 || t[i].exp > 17)
          fail = "exponent outside 0..17";
        else if (i > 0 && t[i].exp <= t[i - 1].exp)
          fail = "exponents not strictly increasing";
        else if (e == QA_ENC_NAF && i > 0 && t[i].exp == t[i - 1].exp + 1)
          fail = "NAF adjacent";
        else if (e == QA_ENC_POPCOUNT && t[i].sign != (v < 0 ? -1 : 1))
          fail = "popcount sign";
        sum += t[i].sign * ((int64_t)1 << t[i].exp);
      }
      int32_t m = v < 0 ? -v : v;
      if (fail)
        (void)0;
      else if (sum != v)
        fail = "terms do not sum to v";
      else if (qaTermsCount(e, v) != n)
        fail = "qaTermsCount != encode count";
      else if (tab[m] != n)
        fail = "qaTermsTable != encode count";
      else if (v >= 0 && !masksMatch(t, n, pos[m], negm[m]))
        fail = "position / sign masks differ from the encoding";
      else if (n < g_minw[m])
        fail = "fewer terms than the minimum (impossible)";
      else if (e == QA_ENC_NAF && n != g_minw[m])
        fail = "NAF not minimal";
      else if (e == QA_ENC_NAF &&
               (n > qaTermsCount(QA_ENC_BOOTH4, v) || n > qaTermsCount(QA_ENC_POPCOUNT, v)))
        fail = "NAF heavier than another encoder";
      else if (v == 0 && n != 0)
        fail = "zero must have no terms";
    }
    if (fail && bad++ == 0) {
      first_bad = v;
      why = fail;
    }
  }
  CHECK_MSG(bad == 0, "%s: %lld bad values, first v=%d: %s", qaEncoderName(e), (long long)bad, first_bad,
            why);
}

/* Bounds for n-bit magnitudes (all m < 2^n), and the exact maximum: each bound is
** reached. popcount: 2^n-1 has n ones. booth4: groups 0..floor(n/2) can all be
** non-zero (e.g. 11 = 16-4-1 at n=4). naf: ceil((n+1)/2) == floor(n/2)+1, reached
** by ...101011-like patterns (e.g. 11 = 16-4-1). */
static void checkBounds(void) {
  for (int n = 1; n <= 16; n++) {
    int mx[QA_ENC_COUNT] = {0, 0, 0};
    for (int32_t m = 0; m < (1 << n); m++)
      for (int e = 0; e < QA_ENC_COUNT; e++) {
        int c = qaTermsCount((QaEncoder)e, m);
        if (c > mx[e]) mx[e] = c;
      }
    CHECK_MSG(mx[QA_ENC_POPCOUNT] == n, "n=%d popcount max %d", n, mx[QA_ENC_POPCOUNT]);
    CHECK_MSG(mx[QA_ENC_BOOTH4] == n / 2 + 1, "n=%d booth4 max %d", n, mx[QA_ENC_BOOTH4]);
    CHECK_MSG(mx[QA_ENC_NAF] == (n + 2) / 2, "n=%d naf max %d (ceil((n+1)/2) = %d)", n, mx[QA_ENC_NAF],
              (n + 2) / 2);
  }
  /* 2^16 itself: one term for every encoder. */
  for (int e = 0; e < QA_ENC_COUNT; e++) CHECK_EQ_I64(qaTermsCount((QaEncoder)e, VMAX), 1);
}

/* Average NAF weight. The NAF has digit density 1/3 and one extra digit position,
** so the mean weight of n-bit integers tends to n/3 + 4/9; at n = 8 that is 3.111.
** Exact totals over [0, 2^n) follow floor((3n+4) 2^n / 9) (1, 4, 11, 28, 67, 156,
** 355, 796 for n = 1..8, computed by hand/offline), so 796/256 = 3.109 at 8 bits.
** A sane band for 8 bits: above n/3 = 2.667 (the density alone), below the booth4
** average of 3.5 and the popcount average of 4. */
static void checkAverages(void) {
  for (int n = 1; n <= 16; n++) {
    int64_t s = 0;
    for (int32_t m = 0; m < (1 << n); m++) s += qaTermsCount(QA_ENC_NAF, m);
    CHECK_MSG(s == ((int64_t)(3 * n + 4) << n) / 9, "n=%d NAF total %lld", n, (long long)s);
  }
  int64_t s[QA_ENC_COUNT] = {0, 0, 0};
  for (int32_t m = 0; m < 256; m++)
    for (int e = 0; e < QA_ENC_COUNT; e++) s[e] += qaTermsCount((QaEncoder)e, m);
  double naf = s[QA_ENC_NAF] / 256.0;
  CHECK_EQ_I64(s[QA_ENC_NAF], 796);
  CHECK_MSG(naf > 8.0 / 3 && naf < 3.2, "NAF average over 0..255 = %g", naf);
  CHECK_EQ_I64(s[QA_ENC_POPCOUNT], 4 * 256);
  CHECK_EQ_I64(s[QA_ENC_BOOTH4], 896); /* 3.5 per value */
}

static int termsAre(QaEncoder e, int32_t v, int n, const int *signs, const int *exps) {
  QaTerm t[QA_TERMS_MAX];
  if (qaTermsEncode(e, v, t) != n) return 0;
  for (int i = 0; i < n; i++)
    if (t[i].sign != signs[i] || t[i].exp != exps[i]) return 0;
  return 1;
}

static void checkKnown(void) {
  QaTerm t[QA_TERMS_MAX];
  CHECK(termsAre(QA_ENC_NAF, 7, 2, (int[]){-1, 1}, (int[]){0, 3}));    /* 8 - 1 */
  CHECK(termsAre(QA_ENC_NAF, -7, 2, (int[]){1, -1}, (int[]){0, 3}));   /* -8 + 1 */
  CHECK(termsAre(QA_ENC_BOOTH4, 7, 2, (int[]){-1, 1}, (int[]){0, 3})); /* digits -1, +2 */
  CHECK(termsAre(QA_ENC_POPCOUNT, 7, 3, (int[]){1, 1, 1}, (int[]){0, 1, 2}));
  CHECK(termsAre(QA_ENC_POPCOUNT, -5, 2, (int[]){-1, -1}, (int[]){0, 2}));
  CHECK(termsAre(QA_ENC_BOOTH4, 3, 2, (int[]){-1, 1}, (int[]){0, 2})); /* 4 - 1 */
  CHECK(termsAre(QA_ENC_BOOTH4, 6, 2, (int[]){-1, 1}, (int[]){1, 3})); /* digits -2, +2: 8 - 2 */
  CHECK(termsAre(QA_ENC_NAF, 11, 3, (int[]){-1, -1, 1}, (int[]){0, 2, 4}));
  CHECK(termsAre(QA_ENC_NAF, VMAX, 1, (int[]){1}, (int[]){16}));
  CHECK(termsAre(QA_ENC_NAF, -VMAX, 1, (int[]){-1}, (int[]){16}));
  CHECK(termsAre(QA_ENC_NAF, 65535, 2, (int[]){-1, 1}, (int[]){0, 16}));
  CHECK(termsAre(QA_ENC_BOOTH4, 65535, 2, (int[]){-1, 1}, (int[]){0, 16}));
  CHECK_EQ_I64(qaTermsCount(QA_ENC_NAF, 0x5555), 8);    /* already non-adjacent */
  CHECK_EQ_I64(qaTermsCount(QA_ENC_BOOTH4, 0xAAAA), 9); /* worst case at 16 bits */
  CHECK_EQ_I64(qaTermsCount(QA_ENC_NAF, 0xAAAA), 8);
  for (int e = 0; e < QA_ENC_COUNT; e++) {
    CHECK_EQ_I64(qaTermsEncode((QaEncoder)e, 0, t), 0);
    CHECK_EQ_I64(qaTermsCount((QaEncoder)e, 0), 0);
  }
}

static void checkRange(void) {
  QaTerm t[QA_TERMS_MAX];
  for (int e = 0; e < QA_ENC_COUNT; e++) {
    CHECK_EQ_I64(qaTermsEncode((QaEncoder)e, VMAX + 1, t), -1);
    CHECK_EQ_I64(qaTermsEncode((QaEncoder)e, -VMAX - 1, t), -1);
    CHECK_EQ_I64(qaTermsEncode((QaEncoder)e, INT32_MIN, t), -1);
    CHECK_EQ_I64(qaTermsEncode((QaEncoder)e, INT32_MAX, t), -1);
    CHECK_EQ_I64(qaTermsCount((QaEncoder)e, VMAX + 1), -1);
    CHECK_EQ_I64(qaTermsCount((QaEncoder)e, INT32_MIN), -1);
  }
  CHECK_EQ_I64(qaTermsEncode(QA_ENC_COUNT, 5, t), -1);
  CHECK_EQ_I64(qaTermsCount((QaEncoder)-1, 5), -1);
  CHECK(qaTermsTable(QA_ENC_COUNT) == NULL);
  CHECK(strcmp(qaEncoderName(QA_ENC_COUNT), "?") == 0);
}

static void checkParse(void) {
  static const struct {
    const char *name;
    QaEncoder e;
  } ok[] = {{"popcount", QA_ENC_POPCOUNT},
            {"booth4", QA_ENC_BOOTH4},
            {"booth", QA_ENC_BOOTH4},
            {"naf", QA_ENC_NAF},
            {"csd", QA_ENC_NAF}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    QaErr err = {0};
    QaEncoder e = QA_ENC_COUNT;
    CHECK_EQ_I64(qaEncoderParse(ok[i].name, &e, &err), QA_OK);
    CHECK_EQ_I64(e, ok[i].e);
  }
  for (int e = 0; e < QA_ENC_COUNT; e++) {
    QaEncoder back = QA_ENC_COUNT;
    CHECK_EQ_I64(qaEncoderParse(qaEncoderName((QaEncoder)e), &back, NULL), QA_OK);
    CHECK_EQ_I64(back, e);
  }
  const char *bad[] = {"NAF", "booth2", "", "pop"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    QaErr err = {0};
    QaEncoder e = QA_ENC_COUNT;
    CHECK_EQ_I64(qaEncoderParse(bad[i], &e, &err), QA_EUSER);
    CHECK_EQ_I64(err.rc, QA_EUSER);
    CHECK_EQ_I64(e, QA_ENC_COUNT);
    CHECK_MSG(strstr(err.msg, "popcount") && strstr(err.msg, "booth4") && strstr(err.msg, "naf") &&
                  strstr(err.msg, "csd"),
              "message lists valid names: %s", err.msg);
    char quoted[32];
    snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
    CHECK_MSG(strstr(err.msg, quoted) != NULL, "message names the input: %s", err.msg);
  }
  QaErr err = {0};
  QaEncoder e;
  CHECK_EQ_I64(qaEncoderParse(NULL, &e, &err), QA_EUSER);
}

/* Value statistics (valstats.c: by magnitude histogram, or per value when the magnitudes
** span more than the tensor has values) equal a per-value count through the term tables,
** for code widths 1..16 bits, signed and unsigned, sizes around the histogram's switch. */
static void checkValueStats(void) {
  QaRng rng;
  qaRngSeed(&rng, 77);
  for (int t = 0; t < 200; t++) {
    int bits = (int)qaRngRange(&rng, 1, 16), sgn = (int)qaRngRange(&rng, 0, 1);
    int64_t n = qaRngRange(&rng, 0, t % 3 ? 300 : 70000);
    int32_t hi = (int32_t)((1 << (bits - sgn)) - (sgn ? 1 : 0) - (sgn ? 0 : 1));
    hi = hi < 1 ? 1 : hi;
    int32_t *c = malloc((size_t)(n ? n : 1) * sizeof *c);
    for (int64_t i = 0; i < n; i++) {
      int64_t v = qaRngUniform(&rng) < 0.3 ? 0 : qaRngRange(&rng, sgn ? -hi : 0, hi);
      c[i] = (int32_t)v;
    }
    if (n && t % 5 == 0) c[n - 1] = sgn ? -hi : hi; /* the extreme magnitude */
    QaValueStats st, want;
    memset(&want, 0, sizeof want);
    want.n_values = n;
    for (int64_t i = 0; i < n; i++) {
      int32_t m = c[i] < 0 ? -c[i] : c[i];
      want.n_zero += m == 0;
      for (int e = 0; e < QA_ENC_COUNT; e++) want.hist[e][qaTermsTable((QaEncoder)e)[m]]++;
    }
    qaValueStatsCompute(c, n, &st);
    CHECK_MSG(!memcmp(&st, &want, sizeof st), "case %d: %d bits %s n %lld", t, bits,
              sgn ? "signed" : "unsigned", (long long)n);
    free(c);
  }
}

int main(void) {
  buildMinWeight();
  qaTermsInit();
  qaTermsInit(); /* idempotent */
  for (int e = 0; e < QA_ENC_COUNT; e++) checkExhaustive((QaEncoder)e);
  checkBounds();
  checkAverages();
  checkKnown();
  checkRange();
  checkParse();
  checkValueStats();
  return TEST_DONE();
}
