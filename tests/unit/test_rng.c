/*
** test_rng.c - the random streams: the same seed gives the same stream, and the
** ziggurat samplers follow their distributions: a Kolmogorov-Smirnov statistic against
** the exact CDF below its 0.1% critical value (1.95 / sqrt(n)), the mean and variance
** within 5 standard errors, and the tail beyond the ziggurat's base strip (normal: R =
** 3.4426) as frequent as the CDF says within 5 standard deviations of the count; and the bulk
** fills give the per-value streams bit for bit and leave the same state, for lengths around
** 8-word groups and 1024-word batches, several seeds and scales, fills in parts, and draws that
** leave the fast path inside a group and at a batch boundary (issue 12).
*/
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "qatest.h"

#define N 400000

static int cmpd(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double normalCdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }
static double expCdf(double x) { return x <= 0 ? 0 : 1 - exp(-x); }
static double laplaceCdf(double x) { return x < 0 ? 0.5 * exp(x) : 1 - 0.5 * exp(-x); }

/* KS statistic of v[0..n) (sorted here) against cdf. */
static double ks(double *v, int n, double (*cdf)(double)) {
  qsort(v, (size_t)n, sizeof *v, cmpd);
  double d = 0;
  for (int i = 0; i < n; i++) {
    double f = cdf(v[i]), lo = f - (double)i / n, hi = (double)(i + 1) / n - f;
    d = lo > d ? lo : d;
    d = hi > d ? hi : d;
  }
  return d;
}

static void moments(const double *v, int n, double mean, double var, const char *what) {
  double s = 0, s2 = 0;
  for (int i = 0; i < n; i++) s += v[i];
  double m = s / n;
  for (int i = 0; i < n; i++) s2 += (v[i] - m) * (v[i] - m);
  double sv = s2 / (n - 1);
  CHECK_MSG(fabs(m - mean) < 5 * sqrt(var / n), "%s: mean %g, want %g", what, m, mean);
  /* the variance estimate's standard error is about var * sqrt(2 / n) for these tails */
  CHECK_MSG(fabs(sv - var) < 5 * var * sqrt(6.0 / n), "%s: variance %g, want %g", what, sv, var);
}

/* The rectified fill parses its words as a stream of zeros (one word) and normal draws (a
** zero test word, then the sampler's words), across batch boundaries and slow paths: every
** zero fraction, length and split into parts gives the per-value stream and final state. */
static void checkRectified(void) {
  static const double fracs[] = {0.0, 0.3, 0.5, 0.999, 1.0};
  static const int lens[] = {0, 1, 2, 7, 511, 512, 513, 1023, 1024, 1025, 3000};
  enum { MAXN = 6000 };
  float *f = malloc(MAXN * sizeof *f);
  int bad = 0;
  for (size_t z = 0; z < sizeof fracs / sizeof fracs[0]; z++)
    for (size_t a = 0; a < sizeof lens / sizeof lens[0]; a++)
      for (size_t b = 0; b < sizeof lens / sizeof lens[0]; b += 3) {
        QaRng fill, one;
        qaRngSeed(&fill, 1000 + z * 31 + a * 7 + b);
        one = fill;
        qaRngFillRectified(&fill, fracs[z], f, lens[a]); /* two parts: the second continues */
        qaRngFillRectified(&fill, fracs[z], f + lens[a], lens[b]);
        for (int i = 0; i < lens[a] + lens[b]; i++) {
          double v = qaRngUniform(&one) < fracs[z] ? 0.0 : fabs(qaRngNormalZ(&one));
          bad += f[i] != (float)v || signbit(f[i]);
        }
        bad += qaRngNext(&fill) != qaRngNext(&one);
      }
  CHECK_MSG(bad == 0, "rectified fills: %d values or states differ from the per-value stream", bad);
  free(f);
}

/* ---- the fills against the per-value calls ---- */
enum { K_NORMAL, K_LAPLACE, K_RECT };

/* One value of KIND as the per-value calls give it (P: the scale, b, or the zero fraction). */
static float perValue(QaRng *r, int kind, double p) {
  if (kind == K_NORMAL) return (float)(p * qaRngNormalZ(r));
  if (kind == K_LAPLACE) return (float)qaRngLaplaceZ(r, p);
  return (float)(qaRngUniform(r) < p ? 0.0 : fabs(qaRngNormalZ(r)));
}

static void fill(QaRng *r, int kind, double p, float *out, int64_t n) {
  if (kind == K_NORMAL)
    qaRngFillNormalZ(r, p, out, n);
  else if (kind == K_LAPLACE)
    qaRngFillLaplaceZ(r, p, out, n);
  else
    qaRngFillRectified(r, p, out, n);
}

/* Fills of PARTS[0..np) values in turn from SEED (OUT: room for their sum) give the per-value
** stream, bit for bit, and leave the state (all four words) where the per-value calls leave it. */
static int fillsMatch(int kind, uint64_t seed, double p, const int64_t *parts, int np, float *out) {
  QaRng a, b;
  qaRngSeed(&a, seed);
  qaRngSeed(&b, seed);
  int64_t n = 0;
  for (int j = 0; j < np; j++) {
    fill(&a, kind, p, out + n, parts[j]);
    n += parts[j];
  }
  int eq = 1;
  for (int64_t i = 0; i < n; i++) eq &= out[i] == perValue(&b, kind, p);
  return eq && memcmp(a.s, b.s, sizeof a.s) == 0;
}

/* The words a per-value call took, from state BEFORE to AFTER: 1 on the ziggurat's fast path,
** more when the draw left it (wedge, tail); -1 if more than 64. */
static int wordsTaken(const QaRng *before, const QaRng *after) {
  QaRng t = *before;
  for (int k = 0; k <= 64; k++) {
    if (memcmp(t.s, after->s, sizeof t.s) == 0) return k;
    qaRngNext(&t);
  }
  return -1;
}

/* The first seed from FROM whose stream of KIND has a value leaving the fast path at word
** position WANT (a value taking more than one word that starts there), or, if WANT < 0, two
** such values in one aligned 8-word group; 0 if none in 5000 seeds. */
static uint64_t seedRejectingAt(int kind, int64_t want, uint64_t from) {
  for (uint64_t seed = from; seed < from + 5000; seed++) {
    QaRng r;
    qaRngSeed(&r, seed);
    int64_t pos = 0, last = -100;
    while (pos < 1100) {
      QaRng before = r;
      perValue(&r, kind, 1.0);
      int k = wordsTaken(&before, &r);
      if (k > 1) {
        if (want >= 0 && pos == want) return seed;
        if (want < 0 && pos / 8 == last / 8) return seed;
        last = pos;
      }
      pos += k;
    }
  }
  return 0;
}

static void testFills(void) {
  enum { MAXN = 20000 };
  float *out = malloc(MAXN * sizeof *out);
  /* lengths around 8-word groups and 1024-word batches, several seeds and scales */
  static const int64_t lens[] = {0,    1,    2,    7,    8,    9,    15,   16,   17,   63,   64,
                                 65,   1015, 1016, 1017, 1023, 1024, 1025, 1031, 1032, 1033, 2047,
                                 2048, 2049, 3071, 3072, 3073, 8191, 8192, 8193, 20000};
  static const uint64_t seeds[] = {1, 2, 3, 99, 12345, 0xFFFFFFFFFFFFFFFFULL};
  static const double scales[] = {1.0, 0.5, 1e-3, 3.7};
  static const double zero_fracs[] = {0.0, 0.3, 1.0};
  int bad = 0;
  for (int kind = K_NORMAL; kind <= K_RECT; kind++)
    for (size_t si = 0; si < sizeof seeds / sizeof *seeds; si++)
      for (int pi = 0; pi < (kind == K_RECT ? 3 : 4); pi++) {
        double p = kind == K_RECT ? zero_fracs[pi] : scales[pi];
        for (size_t li = 0; li < sizeof lens / sizeof *lens; li++)
          if (!fillsMatch(kind, seeds[si], p, &lens[li], 1, out)) {
            bad++;
            fprintf(stderr, "fill kind %d seed %" PRIu64 " p %g n %" PRId64 " differs\n", kind, seeds[si], p,
                    lens[li]);
          }
      }
  CHECK_MSG(bad == 0, "%d fills differ from the per-value calls", bad);

  /* fill(a) then fill(b) is fill(a + b) is the per-value stream */
  static const int64_t firsts[] = {0, 1, 7, 8, 9, 1000, 1023, 1024, 1025, 2047, 5000};
  bad = 0;
  for (int kind = K_NORMAL; kind <= K_RECT; kind++)
    for (size_t ai = 0; ai < sizeof firsts / sizeof *firsts; ai++) {
      int64_t parts[3] = {firsts[ai], 6000 - firsts[ai], 1};
      bad += !fillsMatch(kind, 7 + ai, kind == K_RECT ? 0.3 : 0.25, parts, 3, out);
    }
  CHECK_MSG(bad == 0, "%d split fills differ", bad);

  /* draws that leave the fast path where a batched fill could go wrong: inside an 8-word group
  ** (word 3), at its last word (7), two in one group, at the last word of a 1024-word batch and
  ** at the first of the next */
  static const int64_t at[] = {3, 7, -1, 1023, 1024};
  for (int kind = K_NORMAL; kind <= K_LAPLACE; kind++)
    for (size_t ai = 0; ai < sizeof at / sizeof *at; ai++) {
      uint64_t seed = seedRejectingAt(kind, at[ai], 1);
      CHECK_MSG(seed != 0, "kind %d: no seed leaves the fast path at word %" PRId64, kind, at[ai]);
      if (!seed) continue;
      static const int64_t ns[] = {4, 8, 9, 16, 1023, 1024, 1025, 1100, 3000};
      for (size_t ni = 0; ni < sizeof ns / sizeof *ns; ni++)
        CHECK_MSG(fillsMatch(kind, seed, 0.7, &ns[ni], 1, out), "kind %d seed %" PRIu64 " n %" PRId64, kind,
                  seed, ns[ni]);
      int64_t parts[4] = {3, 1, 1019, 977};
      CHECK_MSG(fillsMatch(kind, seed, 0.7, parts, 4, out), "kind %d seed %" PRIu64 " in parts", kind, seed);
    }
  free(out);
}

int main(void) {
  checkRectified();
  double *v = malloc(N * sizeof *v);
  QaRng r, r2;

  /* the same seed, the same stream; another seed, another */
  qaRngSeed(&r, 7);
  qaRngSeed(&r2, 7);
  int same = 1;
  for (int i = 0; i < 1000; i++) same &= qaRngNormalZ(&r) == qaRngNormalZ(&r2);
  CHECK(same);
  qaRngSeed(&r2, 8);
  CHECK(qaRngNormalZ(&r) != qaRngNormalZ(&r2));

  double crit = 1.95 / sqrt((double)N);
  qaRngSeed(&r, 20261204);
  int tail = 0;
  for (int i = 0; i < N; i++) {
    v[i] = qaRngNormalZ(&r);
    tail += fabs(v[i]) > 3.5;
  }
  moments(v, N, 0, 1, "normal");
  double want = 2 * N * (1 - normalCdf(3.5));
  CHECK_MSG(fabs(tail - want) < 5 * sqrt(want), "normal: %d draws beyond 3.5, want %.0f", tail, want);
  double d = ks(v, N, normalCdf);
  CHECK_MSG(d < crit, "normal: KS %g >= %g", d, crit);

  for (int i = 0; i < N; i++) v[i] = qaRngExpZ(&r);
  moments(v, N, 1, 1, "exponential");
  d = ks(v, N, expCdf);
  CHECK_MSG(d < crit, "exponential: KS %g >= %g", d, crit);
  tail = 0;
  for (int i = 0; i < N; i++) tail += v[i] > 8.0; /* beyond the base strip's R = 7.697 */
  want = N * exp(-8.0);
  CHECK_MSG(fabs(tail - want) < 5 * sqrt(want) + 1, "exponential: %d draws beyond 8, want %.1f", tail, want);

  for (int i = 0; i < N; i++) v[i] = qaRngLaplaceZ(&r, 1.0);
  moments(v, N, 0, 2, "laplace");
  d = ks(v, N, laplaceCdf);
  CHECK_MSG(d < crit, "laplace: KS %g >= %g", d, crit);

  /* the bulk fills give the per-value streams, slow paths (wedges, tails: about 1% of the
  ** draws) included, and leave the state where the per-value calls leave it */
  {
    enum { NF = 200000 };
    float *f = malloc(NF * sizeof *f);
    QaRng a, b;
    qaRngSeed(&a, 99);
    qaRngSeed(&b, 99);
    qaRngFillNormalZ(&a, 2.0, f, NF);
    int eq = 1;
    for (int i = 0; i < NF; i++) eq &= f[i] == (float)(2.0 * qaRngNormalZ(&b));
    eq &= qaRngNext(&a) == qaRngNext(&b);
    qaRngFillLaplaceZ(&a, 0.5, f, NF);
    for (int i = 0; i < NF; i++) eq &= f[i] == (float)qaRngLaplaceZ(&b, 0.5);
    eq &= qaRngNext(&a) == qaRngNext(&b);
    qaRngFillRectified(&a, 0.3, f, NF);
    int zeros = 0;
    for (int i = 0; i < NF; i++) {
      double v = qaRngUniform(&b) < 0.3 ? 0.0 : fabs(qaRngNormalZ(&b));
      eq &= f[i] == (float)v;
      zeros += f[i] == 0;
    }
    eq &= qaRngNext(&a) == qaRngNext(&b);
    CHECK(eq);
    CHECK_MSG(zeros > NF * 0.29 && zeros < NF * 0.31, "rectified: %d zeros of %d at 0.3", zeros, NF);
    free(f);
  }

  testFills();

  /* the older samplers still follow their distributions (tests and tools use them) */
  for (int i = 0; i < N; i++) v[i] = qaRngGauss(&r);
  d = ks(v, N, normalCdf);
  CHECK_MSG(d < crit, "Box-Muller: KS %g >= %g", d, crit);
  free(v);
  return TEST_DONE();
}
