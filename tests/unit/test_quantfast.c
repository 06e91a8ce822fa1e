/*
** test_quantfast.c - the vectorised uniform quantizer (quant.c codeBlock, the finite check,
** the clip and code-range loops) against the scalar path it replaced, kept here verbatim in
** substance (its sums of squares in quant.c's eight lanes): codes, scales, SQNR and code range bit for bit on
*many random tensors with
** ties (values at exact half steps), zeros of both signs, clipped, tiny and huge values.
*/
#include <math.h>
#include <string.h>

#include "base/rng.h"
#include "quant/quant.h"
#include "quant/terms.h"
#include "tests/qatest.h"

/* ---- the scalar path before issue 12 (sym, unsigned, fixed; minmax and mse) ---- */

/* pow2 / khot: the sorted magnitudes of the scheme (set by oldQuantize), NULL for uniform */
static const int32_t *g_mags;
static int32_t g_n_mags;

/* Nearest magnitude to a >= 0 by binary search, ties to the smaller one. */
static int32_t oldNearestMag(double a) {
  int32_t lo = 0, hi = g_n_mags;
  while (lo < hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (g_mags[mid] < a)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == g_n_mags) return g_mags[lo - 1];
  if (lo == 0) return g_mags[0];
  double up = g_mags[lo], down = g_mags[lo - 1];
  return (up - a < a - down) ? g_mags[lo] : g_mags[lo - 1];
}

static int32_t oldCodeOf(int nonneg, int32_t qmax, double t) {
  if (nonneg && t <= 0) return 0;
  double a = fabs(t);
  if (g_mags) {
    int32_t m = oldNearestMag(a);
    return t < 0 ? -m : m;
  }
  if (a > qmax) a = qmax;
  int32_t m = (int32_t)(a + 0.5);
  m -= (double)m - a > 0.5;
  return t < 0 ? -m : m;
}

/* Sums of squares as quant.c defines them: element i of a block in lane i mod 8, the eight
** lanes added in a fixed tree. */
static double lanes8(const double *v) {
  return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
}

static double oldBlock(int nonneg, int32_t qmax, const float *x, int64_t m, double scale, int32_t *codes) {
  double err[8] = {0};
  for (int64_t i = 0; i < m; i++) {
    int32_t q = oldCodeOf(nonneg, qmax, x[i] / scale);
    double d = x[i] - q * scale;
    err[i % 8] += d * d;
    if (codes) codes[i] = q;
  }
  return lanes8(err);
}

static double oldScale(const QaQuantSpec *spec, int nonneg, int32_t qmax, const float *x, int64_t m) {
  double clip = 0;
  for (int64_t i = 0; i < m; i++) {
    double a = nonneg ? x[i] : fabs(x[i]);
    if (a > clip) clip = a;
  }
  if (clip == 0) return 1.0;
  double best = clip / qmax;
  if (spec->scheme == QA_Q_FIXED) {
    double p2 = exp2(ceil(log2(best)));
    if (p2 < best) p2 *= 2;
    if (spec->clip == QA_CLIP_MSE &&
        oldBlock(nonneg, qmax, x, m, p2 / 2, NULL) < oldBlock(nonneg, qmax, x, m, p2, NULL))
      p2 /= 2;
    return p2;
  }
  if (spec->clip == QA_CLIP_MSE) {
    double best_err = oldBlock(nonneg, qmax, x, m, best, NULL);
    for (int i = 1; i < 100; i++) {
      double s = clip * (1.0 - 0.95 * i / 99) / qmax;
      double e = oldBlock(nonneg, qmax, x, m, s, NULL);
      if (e < best_err) {
        best_err = e;
        best = s;
      }
    }
  }
  return best;
}

/* The old qaQuantize for the uniform schemes: codes, scales, sqnr, min and max code. */
static void oldQuantize(const QaQuantSpec *spec, int bits, const float *x, int64_t n, int64_t n_ch,
                        int32_t *codes, double *scales, double *sqnr, int32_t *lo, int32_t *hi) {
  int magset = spec->scheme == QA_Q_POW2 || spec->scheme == QA_Q_KHOT;
  int sgn = spec->scheme == QA_Q_SYM || ((spec->scheme == QA_Q_FIXED || magset) && !spec->unsigned_codes);
  int32_t qmax = sgn ? (int32_t)((1u << (bits - 1)) - 1) : (int32_t)((1u << bits) - 1);
  static int32_t mags[1 << 16];
  g_mags = NULL;
  if (magset) { /* at most k one-bits (NAF terms for -naf); pow2: one */
    int k = spec->scheme == QA_Q_POW2 ? 1 : spec->k;
    g_n_mags = 0;
    for (int32_t m = 0; m <= qmax; m++)
      if (qaTermsCount(spec->khot_naf ? QA_ENC_NAF : QA_ENC_POPCOUNT, m) <= k) mags[g_n_mags++] = m;
    g_mags = mags;
    qmax = mags[g_n_mags - 1];
  }
  int64_t nc = spec->per_channel ? n_ch : 1, block = n / nc;
  double sig = 0, noise = 0;
  for (int64_t ch = 0; ch < nc; ch++) {
    const float *xb = x + ch * block;
    double s = oldScale(spec, !sgn, qmax, xb, block);
    noise += oldBlock(!sgn, qmax, xb, block, s, codes + ch * block);
    double sg[8] = {0};
    for (int64_t i = 0; i < block; i++) sg[i % 8] += (double)xb[i] * xb[i];
    sig += lanes8(sg);
    scales[ch] = s;
  }
  for (int64_t i = 0; i < n; i++) {
    if (i == 0 || codes[i] < *lo) *lo = codes[i];
    if (i == 0 || codes[i] > *hi) *hi = codes[i];
  }
  *sqnr = sig == 0 ? 0.0 : noise == 0 ? 999.0 : 10.0 * log10(sig / noise);
}

/* ---- random tensors with the awkward values ---- */

static void fillTensor(QaRng *rng, float *x, int64_t n, int kind) {
  double step = ldexp(1.0, -(int)qaRngRange(rng, 0, 10)); /* a power-of-two grid: exact half steps */
  for (int64_t i = 0; i < n; i++) {
    double u = qaRngUniform(rng);
    switch (kind) {
      case 0:
        x[i] = (float)qaRngLaplace(rng, 0.1);
        break;
      case 1:
        x[i] = (float)(qaRngRange(rng, -600, 600) * 0.5 * step);
        break; /* ties */
      case 2:
        x[i] = u < 0.3 ? 0.0f : u < 0.4 ? -0.0f : (float)qaRngGauss(rng);
        break;
      case 3:
        x[i] = u < 0.01 ? 1e30f : u < 0.02 ? -1e30f : u < 0.5 ? 1e-40f : (float)(u - 0.7);
        break;
      default:
        x[i] = (float)(qaRngUniform(rng) * 3.0);
        break; /* non-negative */
    }
  }
  if (n > 3 && kind == 1) x[n - 1] = (float)(600 * 0.5 * step); /* the clip on a tie grid */
}

static int sameDouble(double a, double b) { return !memcmp(&a, &b, sizeof a); }

int main(void) {
  static const char *specs[] = {"sym",         "sym-ch",    "sym-mse",    "sym-ch-mse", "unsigned",
                                "unsigned-ch", "fixed",     "fixed-u",    "fixed-mse",  "unsigned-mse",
                                "fixed-ch",    "pow2",      "pow2-u",     "khot2",      "khot3-u",
                                "khot2-naf",   "khot1-mse", "pow2-u-mse", "khot4-ch"};
  QaRng rng;
  qaRngSeed(&rng, qaTestSeed(12));
  int cases = qaTestScale(300), bad = 0;
  for (int t = 0; t < cases; t++) {
    QaQuantSpec spec;
    QaErr err = {0, ""};
    const char *text = specs[t % (int)(sizeof specs / sizeof specs[0])];
    CHECK(qaQuantParse(text, &spec, &err) == QA_OK);
    int bits = (int)qaRngRange(&rng, 2, 16);
    int64_t n_ch = qaRngRange(&rng, 1, 6), n = n_ch * qaRngRange(&rng, 0, 1400);
    int kind = (int)qaRngRange(&rng, 0, 4);
    float *x = malloc((size_t)(n ? n : 1) * sizeof *x);
    int32_t *c_new = malloc((size_t)(n ? n : 1) * sizeof *c_new), *c_old = malloc((size_t)(n ? n : 1) * 4);
    double s_old[8], sq_old = 0;
    int32_t lo = 0, hi = 0;
    fillTensor(&rng, x, n, kind);
    QaQuantResult res;
    CHECK(qaQuantize(&spec, bits, x, n, n_ch, c_new, &res, &err) == QA_OK);
    oldQuantize(&spec, bits, x, n, n_ch, c_old, s_old, &sq_old, &lo, &hi);
    int same = !memcmp(c_new, c_old, (size_t)n * sizeof *c_new) && sameDouble(res.sqnr_db, sq_old) &&
               res.min_code == lo && res.max_code == hi;
    for (int64_t ch = 0; ch < res.n_channels; ch++) same &= sameDouble(res.scales[ch], s_old[ch]);
    CHECK_MSG(same, "case %d: %s %d bits n %lld kind %d", t, text, bits, (long long)n, kind);
    bad += !same;
    qaQuantResultFree(&res);
    free(x);
    free(c_new);
    free(c_old);
  }
  CHECK(bad == 0);
  /* a non-finite value is still found, at its index */
  float y[1000];
  for (int i = 0; i < 1000; i++) y[i] = (float)i;
  y[777] = NAN;
  int32_t q[1000];
  QaQuantSpec sym;
  QaQuantResult res;
  QaErr err = {0, ""};
  qaQuantParse("sym", &sym, &err);
  CHECK(qaQuantize(&sym, 8, y, 1000, 1, q, &res, &err) == QA_EUSER && strstr(err.msg, "index 777"));
  y[777] = -INFINITY;
  CHECK(qaQuantize(&sym, 8, y, 1000, 1, q, &res, &err) == QA_EUSER && strstr(err.msg, "index 777"));
  return TEST_DONE();
}
