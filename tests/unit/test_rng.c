/*
** test_rng.c - the random streams: the same seed gives the same stream, and the
** ziggurat samplers follow their distributions: a Kolmogorov-Smirnov statistic against
** the exact CDF below its 0.1% critical value (1.95 / sqrt(n)), the mean and variance
** within 5 standard errors, and the tail beyond the ziggurat's base strip (normal: R =
** 3.4426) as frequent as the CDF says within 5 standard deviations of the count.
*/
#include <math.h>
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

  /* the older samplers still follow their distributions (tests and tools use them) */
  for (int i = 0; i < N; i++) v[i] = qaRngGauss(&r);
  d = ks(v, N, normalCdf);
  CHECK_MSG(d < crit, "Box-Muller: KS %g >= %g", d, crit);
  free(v);
  return TEST_DONE();
}
