/*
** test_quant.c - quantizers: code ranges at every width, rounding error bounds, SQNR
** behaviour (6 dB/bit, mse >= minmax, per-channel >= per-tensor), pow2/khot code sets
** and nearest-code property against brute force, ternary/binary rules, error cases and
** messages, spec text round trips. Random data comes from seeded qaRng streams.
*/
#include <math.h>
#include <string.h>

#include "qatest.h"
#include "quant/quant.h"
#include "base/rng.h"
#include "quant/terms.h"

#define N 4096

static QaQuantSpec mk(QaQuantScheme scheme, QaQuantClip clip, int per_channel, int k, int unsigned_codes) {
  QaQuantSpec s = {scheme, clip, per_channel, k, unsigned_codes, 0.0};
  return s;
}

static void gauss(float *x, int64_t n, uint64_t seed, double sigma) {
  QaRng r;
  qaRngSeed(&r, seed);
  for (int64_t i = 0; i < n; i++) x[i] = (float)(sigma * qaRngGauss(&r));
}

static int specEq(const QaQuantSpec *a, const QaQuantSpec *b) {
  return a->scheme == b->scheme && a->clip == b->clip && a->per_channel == b->per_channel && a->k == b->k &&
         a->unsigned_codes == b->unsigned_codes && a->ternary_delta == b->ternary_delta;
}

static int isPow2OrZero(int32_t q) {
  uint32_t a = (uint32_t)(q < 0 ? -q : q);
  return (a & (a - 1)) == 0;
}

/* Quantize, expecting success; returns the SQNR. */
static double quant(const QaQuantSpec *s, int bits, const float *x, int64_t n, int64_t n_ch, int32_t *q,
                    QaQuantResult *res) {
  QaErr err = {0};
  int rc = qaQuantize(s, bits, x, n, n_ch, q, res, &err);
  CHECK_MSG(rc == QA_OK, "qaQuantize failed: %s", err.msg);
  return rc == QA_OK ? res->sqnr_db : -1e9;
}

/* Codes inside qaQuantCodeRange, result min/max consistent, the extremes reached by
** minmax, scheme-specific code sets, and the expected range values. */
static void checkRanges(void) {
  static float x[N];
  static int32_t q[N];
  gauss(x, N, 1, 1.0);
  x[17] = 5.0f; /* a known positive maximum */
  struct {
    const char *name;
    QaQuantSpec s;
    int min_bits;
  } cases[] = {
      {"sym", mk(QA_Q_SYM, QA_CLIP_MINMAX, 0, 0, 0), 2},
      {"unsigned", mk(QA_Q_UNSIGNED, QA_CLIP_MINMAX, 0, 0, 0), 1},
      {"pow2", mk(QA_Q_POW2, QA_CLIP_MINMAX, 0, 1, 0), 2},
      {"pow2-u", mk(QA_Q_POW2, QA_CLIP_MINMAX, 0, 1, 1), 1},
      {"khot2", mk(QA_Q_KHOT, QA_CLIP_MINMAX, 0, 2, 0), 2},
      {"khot3-u", mk(QA_Q_KHOT, QA_CLIP_MINMAX, 0, 3, 1), 1},
      {"ternary", mk(QA_Q_TERNARY, QA_CLIP_MINMAX, 0, 0, 0), 2},
      {"binary", mk(QA_Q_BINARY, QA_CLIP_MINMAX, 0, 0, 0), 1},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    for (int b = 1; b <= 16; b++) {
      const QaQuantSpec *s = &cases[c].s;
      QaQuantResult res;
      QaErr err = {0};
      int32_t lo, hi;
      int rc = qaQuantize(s, b, x, N, 1, q, &res, &err);
      if (b < cases[c].min_bits) {
        CHECK_MSG(rc == QA_EUSER && strstr(err.msg, "bits >= 2"), "%s b=%d: %s", cases[c].name, b, err.msg);
        CHECK(res.scales == NULL);
        continue;
      }
      CHECK_MSG(rc == QA_OK, "%s b=%d: %s", cases[c].name, b, err.msg);
      if (rc != QA_OK) continue;
      qaQuantCodeRange(s, b, &lo, &hi);
      int32_t mn = q[0], mx = q[0];
      int64_t out = 0, badset = 0;
      for (int i = 0; i < N; i++) {
        if (q[i] < lo || q[i] > hi) out++;
        if (q[i] < mn) mn = q[i];
        if (q[i] > mx) mx = q[i];
        if (s->scheme == QA_Q_POW2 && !isPow2OrZero(q[i])) badset++;
        if (s->scheme == QA_Q_KHOT && qaTermsCount(QA_ENC_NAF, q[i]) > s->k) badset++;
        if (s->scheme == QA_Q_TERNARY && (q[i] < -1 || q[i] > 1)) badset++;
        if (s->scheme == QA_Q_BINARY && q[i] != 1 && q[i] != -1) badset++;
      }
      CHECK_MSG(out == 0 && badset == 0, "%s b=%d: %lld codes outside [%d,%d], %lld outside the code set",
                cases[c].name, b, (long long)out, lo, hi, (long long)badset);
      CHECK_MSG(mn == res.min_code && mx == res.max_code, "%s b=%d: min/max %d/%d vs result %d/%d",
                cases[c].name, b, mn, mx, res.min_code, res.max_code);
      CHECK_MSG(q[17] == hi, "%s b=%d: the maximum maps to %d, largest code %d", cases[c].name, b, q[17], hi);
      CHECK(res.n_channels == 1 && res.scales[0] > 0 && isfinite(res.scales[0]));

      int32_t ehi = 1, elo = -1; /* expected range */
      switch (s->scheme) {
        case QA_Q_SYM:
          ehi = (1 << (b - 1)) - 1;
          elo = -ehi;
          break;
        case QA_Q_UNSIGNED:
          ehi = (1 << b) - 1;
          elo = 0;
          break;
        case QA_Q_POW2:
          ehi = s->unsigned_codes ? 1 << (b - 1) : 1 << (b - 2);
          elo = s->unsigned_codes ? 0 : -ehi;
          break;
        case QA_Q_KHOT: { /* m magnitude bits: the top k of them set (DATE 2020: two-hot 8-bit +-96) */
          int m = s->unsigned_codes ? b : b - 1;
          ehi = s->khot_naf || s->k >= m ? (1 << m) - 1 : (1 << m) - (1 << (m - s->k));
          elo = s->unsigned_codes ? 0 : -ehi;
          break;
        }
        default:
          break;
      }
      CHECK_MSG(lo == elo && hi == ehi, "%s b=%d: range [%d,%d] expected [%d,%d]", cases[c].name, b, lo, hi,
                elo, ehi);

      /* sym/unsigned: every value inside the clip is within scale/2 of its code. */
      if (s->scheme == QA_Q_SYM || s->scheme == QA_Q_UNSIGNED) {
        double worst = 0, sc = res.scales[0];
        for (int i = 0; i < N; i++) {
          if (s->scheme == QA_Q_UNSIGNED && x[i] < 0) {
            CHECK_EQ_I64(q[i], 0);
            continue;
          }
          double e = fabs(x[i] - q[i] * sc);
          if (e > worst) worst = e;
        }
        CHECK_MSG(worst <= sc / 2 * (1 + 1e-9), "%s b=%d: error %g > scale/2 %g", cases[c].name, b, worst,
                  sc / 2);
      }
      qaQuantResultFree(&res);
      CHECK(res.scales == NULL);
    }
  }
  /* 1-bit unsigned and pow2-u code sets are {0, 1}. */
  int32_t lo, hi;
  qaQuantCodeRange(&cases[1].s, 1, &lo, &hi);
  CHECK(lo == 0 && hi == 1);
  qaQuantCodeRange(&cases[3].s, 1, &lo, &hi);
  CHECK(lo == 0 && hi == 1);
  qaQuantCodeRange(&cases[0].s, 17, &lo, &hi);
  CHECK(lo == 0 && hi == 0);
}

/* Uniform quantization noise is step^2/12 and the step of sym at b bits is
** clip / (2^(b-1)-1): each bit adds 20 log10(2) = 6.02 dB, a little more at low
** widths because 2^(b-1)-1 more than doubles ((127/7) is 25.2 dB for 4 -> 8 bits). */
static void checkSqnrPerBit(void) {
  static float x[1 << 16];
  static int32_t q[1 << 16];
  gauss(x, 1 << 16, 42, 1.0);
  QaQuantSpec s = mk(QA_Q_SYM, QA_CLIP_MINMAX, 0, 0, 0);
  QaQuantResult res;
  double db[17];
  for (int b = 2; b <= 16; b++) {
    db[b] = quant(&s, b, x, 1 << 16, 1, q, &res);
    qaQuantResultFree(&res);
  }
  double d48 = db[8] - db[4];
  printf("sym minmax gauss: 4 bits %.2f dB, 8 bits %.2f dB, diff %.2f dB\n", db[4], db[8], d48);
  CHECK_MSG(fabs(d48 - 24.0) <= 2.0, "4->8 bit SQNR gain %.2f dB", d48);
  for (int b = 5; b < 16; b++)
    CHECK_MSG(fabs(db[b + 1] - db[b] - 6.02) < 0.5, "b=%d->%d gain %.2f dB", b, b + 1, db[b + 1] - db[b]);
}

/* mse clipping: the minmax clip is one of the candidates, so never worse; on
** heavy-tailed Laplace data at 4 bits clipping the tail helps clearly. */
static void checkMse(void) {
  static float x[N];
  static int32_t q[N];
  QaRng r;
  qaRngSeed(&r, 7);
  for (int i = 0; i < N; i++) x[i] = (float)qaRngLaplace(&r, 1.0);
  QaQuantResult a, m;
  QaQuantScheme schemes[] = {QA_Q_SYM, QA_Q_POW2, QA_Q_KHOT};
  for (size_t i = 0; i < 3; i++) {
    QaQuantSpec smm = mk(schemes[i], QA_CLIP_MINMAX, 0, 2, 0), smse = mk(schemes[i], QA_CLIP_MSE, 0, 2, 0);
    double dmm = quant(&smm, 4, x, N, 1, q, &a), dmse = quant(&smse, 4, x, N, 1, q, &m);
    printf("laplace 4 bits scheme %d: minmax %.2f dB, mse %.2f dB\n", (int)schemes[i], dmm, dmse);
    CHECK_MSG(dmse >= dmm, "scheme %d: mse %.3f < minmax %.3f", (int)schemes[i], dmse, dmm);
    if (schemes[i] == QA_Q_SYM) {
      CHECK_MSG(dmse > dmm + 1.0, "sym: mse %.3f not clearly above minmax %.3f", dmse, dmm);
      CHECK(m.scales[0] < a.scales[0]);
    }
    qaQuantResultFree(&a);
    qaQuantResultFree(&m);
  }
  /* Uniform data has no tail to clip: mse keeps (nearly) the full range. */
  qaRngSeed(&r, 8);
  for (int i = 0; i < N; i++) x[i] = (float)(2 * qaRngUniform(&r) - 1);
  QaQuantSpec smm = mk(QA_Q_SYM, QA_CLIP_MINMAX, 0, 0, 0), smse = mk(QA_Q_SYM, QA_CLIP_MSE, 0, 0, 0);
  double dmm = quant(&smm, 8, x, N, 1, q, &a), dmse = quant(&smse, 8, x, N, 1, q, &m);
  CHECK(dmse >= dmm && dmse < dmm + 0.5);
  CHECK(m.scales[0] > 0.95 * a.scales[0]);
  qaQuantResultFree(&a);
  qaQuantResultFree(&m);
}

/* Channels with ranges 1, 1/2, ..., 1/128: one scale per channel wins clearly, and
** each channel's scale is its own max|x| / 7. */
static void checkPerChannel(void) {
  enum { CH = 8, BLK = 512 };
  static float x[CH * BLK];
  static int32_t q[CH * BLK];
  for (int c = 0; c < CH; c++) gauss(x + c * BLK, BLK, 100 + c, ldexp(1.0, -c));
  QaQuantSpec st = mk(QA_Q_SYM, QA_CLIP_MINMAX, 0, 0, 0), sc = mk(QA_Q_SYM, QA_CLIP_MINMAX, 1, 0, 0);
  QaQuantResult rt, rc;
  double dt = quant(&st, 4, x, CH * BLK, CH, q, &rt), dc = quant(&sc, 4, x, CH * BLK, CH, q, &rc);
  printf("per-tensor %.2f dB, per-channel %.2f dB\n", dt, dc);
  CHECK_MSG(dc > dt + 1.0, "per-channel %.3f vs per-tensor %.3f", dc, dt);
  CHECK_EQ_I64(rt.n_channels, 1);
  CHECK_EQ_I64(rc.n_channels, CH);
  for (int c = 0; c < CH && rc.scales; c++) {
    double amax = 0;
    for (int i = 0; i < BLK; i++) amax = fmax(amax, fabs(x[c * BLK + i]));
    CHECK_MSG(fabs(rc.scales[c] - amax / 7) <= 1e-12 * amax, "channel %d scale %g", c, rc.scales[c]);
  }
  qaQuantResultFree(&rt);
  qaQuantResultFree(&rc);
  /* per_channel = 0 ignores n_channels (even an invalid one). */
  QaErr err = {0};
  CHECK_EQ_I64(qaQuantize(&st, 4, x, CH * BLK, 0, q, &rt, &err), QA_OK);
  qaQuantResultFree(&rt);
}

/* Brute force: the code of every value is the nearest code with at most k one-bits in
** its magnitude (khotK, DATE 2020) or of NAF weight <= k (khotK-naf) inside the range
** (ties to the smaller magnitude), under the scale the quantizer chose. */
static void checkKhotNearest(void) {
  enum { M = 300 };
  static float x[M];
  static int32_t q[M];
  gauss(x, M, 5, 2.0);
  for (int naf = 0; naf <= 1; naf++)
    for (int k = 1; k <= 3; k++)
      for (int u = 0; u <= 1; u++)
        for (int clip = 0; clip <= 1; clip++)
          for (int b = 3; b <= 8; b += 5) {
            QaQuantSpec s = mk(QA_Q_KHOT, (QaQuantClip)clip, 0, k, u);
            s.khot_naf = naf;
            QaQuantResult res;
            if (quant(&s, b, x, M, 1, q, &res) < -1e8) continue;
            int32_t lo, hi;
            qaQuantCodeRange(&s, b, &lo, &hi);
            int64_t bad = 0;
            for (int i = 0; i < M; i++) {
              double t = x[i] / res.scales[0];
              int32_t best = 0;
              double bd = INFINITY;
              for (int32_t c = lo; c <= hi; c++) {
                if (qaTermsCount(naf ? QA_ENC_NAF : QA_ENC_POPCOUNT, c) > k) continue;
                double d = fabs(t - c);
                if (d < bd || (d == bd && abs(c) < abs(best))) {
                  bd = d;
                  best = c;
                }
              }
              if (q[i] != best && bad++ == 0)
                fprintf(stderr, "khot%d u=%d clip=%d b=%d: x=%g t=%g code %d, nearest %d\n", k, u, clip, b,
                        x[i], t, q[i], best);
            }
            CHECK_MSG(bad == 0, "khot%d u=%d b=%d: %lld codes not nearest", k, u, b, (long long)bad);
            qaQuantResultFree(&res);
          }
  /* Ties go to the smaller magnitude: with pow2 at scale 1 (max 4 at 4 bits),
  ** 3 lies between 2 and 4 and must become 2. */
  float y[3] = {4.0f, 3.0f, -3.0f};
  QaQuantSpec p = mk(QA_Q_POW2, QA_CLIP_MINMAX, 0, 1, 0);
  QaQuantResult res;
  quant(&p, 4, y, 3, 1, q, &res);
  CHECK(res.scales && res.scales[0] == 1.0 && q[0] == 4 && q[1] == 2 && q[2] == -2);
  qaQuantResultFree(&res);
}

/* pow2 == khot1; at 8 bits (magnitudes <= 127 = seven one-bits) khot with k >= 7 equals
** sym and k <= 6 loses codes; khot-naf with k >= 4 (every magnitude <= 127 has NAF weight
** <= 4) equals sym and khot3-naf loses codes. */
static void checkKhotLimits(void) {
  static float x[N];
  static int32_t a[N], b[N];
  gauss(x, N, 9, 1.0);
  QaQuantResult ra, rb;
  for (int u = 0; u <= 1; u++) {
    QaQuantSpec p = mk(QA_Q_POW2, QA_CLIP_MSE, 0, 0, u), k1 = mk(QA_Q_KHOT, QA_CLIP_MSE, 0, 1, u);
    quant(&p, 6, x, N, 1, a, &ra);
    quant(&k1, 6, x, N, 1, b, &rb);
    CHECK(ra.scales && rb.scales && ra.scales[0] == rb.scales[0] && memcmp(a, b, sizeof a) == 0);
    qaQuantResultFree(&ra);
    qaQuantResultFree(&rb);
  }
  QaQuantSpec sym = mk(QA_Q_SYM, QA_CLIP_MINMAX, 0, 0, 0);
  double dsym = quant(&sym, 8, x, N, 1, a, &ra);
  for (int naf = 0; naf <= 1; naf++)
    for (int k = 3; k <= 8; k++) {
      QaQuantSpec kh = mk(QA_Q_KHOT, QA_CLIP_MINMAX, 0, k, 0);
      kh.khot_naf = naf;
      double dk = quant(&kh, 8, x, N, 1, b, &rb);
      int same = memcmp(a, b, sizeof a) == 0 && rb.scales && ra.scales[0] == rb.scales[0];
      if (k >= (naf ? 4 : 7))
        CHECK_MSG(same && dk == dsym, "khot%d%s at 8 bits differs from sym", k, naf ? "-naf" : "");
      else
        CHECK_MSG(!same && dk < dsym, "khot%d%s at 8 bits should lose codes (%.2f vs %.2f dB)", k,
                  naf ? "-naf" : "", dk, dsym);
      qaQuantResultFree(&rb);
    }
  qaQuantResultFree(&ra);
}

static void checkTernaryBinary(void) {
  enum { CH = 2, BLK = 1000 };
  static float x[CH * BLK];
  static int32_t q[CH * BLK];
  gauss(x, BLK, 11, 1.0);
  gauss(x + BLK, BLK, 12, 0.01);
  for (int delta10 = 0; delta10 <= 5; delta10 += 5) {
    QaQuantSpec s = mk(QA_Q_TERNARY, QA_CLIP_MINMAX, 1, 0, 0);
    s.ternary_delta = delta10 / 10.0;
    QaQuantResult res;
    if (quant(&s, 2, x, CH * BLK, CH, q, &res) < -1e8) continue;
    for (int c = 0; c < CH; c++) {
      const float *xb = x + c * BLK;
      double amax = 0, asum = 0, kept = 0;
      int n_kept = 0, bad = 0;
      for (int i = 0; i < BLK; i++) {
        amax = fmax(amax, fabs(xb[i]));
        asum += fabs(xb[i]);
      }
      double thr = delta10 ? s.ternary_delta * amax : 0.7 * asum / BLK;
      for (int i = 0; i < BLK; i++) {
        int32_t want = fabs(xb[i]) > thr ? (xb[i] < 0 ? -1 : 1) : 0;
        if (want) {
          kept += fabs(xb[i]);
          n_kept++;
        }
        bad += q[c * BLK + i] != want;
      }
      CHECK_MSG(bad == 0, "ternary delta=%g channel %d: %d wrong codes", s.ternary_delta, c, bad);
      CHECK_MSG(fabs(res.scales[c] - kept / n_kept) < 1e-9 * res.scales[c], "ternary scale %g",
                res.scales[c]);
      CHECK(n_kept > 0 && n_kept < BLK);
    }
    CHECK(res.min_code == -1 && res.max_code == 1);
    qaQuantResultFree(&res);
  }

  float y[5] = {0.0f, -2.0f, 1.0f, 3.0f, -0.5f};
  QaQuantSpec bin = mk(QA_Q_BINARY, QA_CLIP_MINMAX, 0, 0, 0);
  for (int b = 1; b <= 16; b += 15) {
    QaQuantResult res;
    quant(&bin, b, y, 5, 1, q, &res);
    CHECK(q[0] == 1 && q[1] == -1 && q[2] == 1 && q[3] == 1 && q[4] == -1);
    CHECK(res.scales && fabs(res.scales[0] - 6.5 / 5) < 1e-12);
    qaQuantResultFree(&res);
  }
}

/* All-zero blocks get scale 1 and code 0 (no division by zero); exact data gives 999. */
static void checkDegenerate(void) {
  float z[8] = {0};
  int32_t q[8];
  QaQuantResult res;
  QaQuantScheme all[] = {QA_Q_SYM, QA_Q_UNSIGNED, QA_Q_POW2, QA_Q_KHOT, QA_Q_TERNARY};
  for (size_t i = 0; i < 5; i++)
    for (int clip = 0; clip <= (all[i] == QA_Q_TERNARY ? 0 : 1); clip++) {
      QaQuantSpec s = mk(all[i], (QaQuantClip)clip, 1, 2, 0);
      double db = quant(&s, 4, z, 8, 2, q, &res);
      CHECK_MSG(db == 0 && res.scales && res.scales[0] == 1 && res.scales[1] == 1, "scheme %d all-zero",
                (int)all[i]);
      for (int j = 0; j < 8; j++) CHECK_EQ_I64(q[j], 0);
      qaQuantResultFree(&res);
    }
  /* One zero channel next to a normal one. */
  float y[8] = {0, 0, 0, 0, 1.0f, -0.5f, 0.25f, 2.0f};
  QaQuantSpec s = mk(QA_Q_SYM, QA_CLIP_MINMAX, 1, 0, 0);
  quant(&s, 8, y, 8, 2, q, &res);
  CHECK(res.scales && res.scales[0] == 1.0 && fabs(res.scales[1] - 2.0 / 127) < 1e-15);
  qaQuantResultFree(&res);
  /* Multiples of 0.25 up to 31.75 = 127 * 0.25: exact at 8 bits. */
  float e[255];
  int32_t qe[255];
  for (int i = 0; i < 255; i++) e[i] = (float)(i - 127) * 0.25f;
  s.per_channel = 0;
  CHECK(quant(&s, 8, e, 255, 1, qe, &res) == 999.0);
  CHECK(res.min_code == -127 && res.max_code == 127);
  qaQuantResultFree(&res);
  /* Empty tensor. */
  CHECK(quant(&s, 8, e, 0, 1, qe, &res) == 0.0 && res.n_channels == 1 && res.scales[0] == 1.0);
  qaQuantResultFree(&res);
  qaQuantResultFree(NULL);
}

static void expectErr(const QaQuantSpec *s, int bits, const float *x, int64_t n, int64_t n_ch,
                      const char *want1, const char *want2) {
  static int32_t q[64];
  QaQuantResult res;
  QaErr err = {0};
  int rc = qaQuantize(s, bits, x, n, n_ch, q, &res, &err);
  CHECK_MSG(rc == QA_EUSER && err.rc == QA_EUSER, "expected an error mentioning '%s'", want1);
  CHECK_MSG(strstr(err.msg, want1) && (!want2 || strstr(err.msg, want2)), "message '%s' lacks '%s'/'%s'",
            err.msg, want1, want2 ? want2 : "");
  CHECK(res.scales == NULL && res.n_channels == 0);
}

static void checkErrors(void) {
  float x[12];
  for (int i = 0; i < 12; i++) x[i] = (float)i - 5.5f;
  QaQuantSpec sym = mk(QA_Q_SYM, QA_CLIP_MINMAX, 0, 0, 0);
  expectErr(&sym, 0, x, 12, 1, "bits 0 out of range 1..16", NULL);
  expectErr(&sym, 17, x, 12, 1, "bits 17 out of range 1..16", NULL);
  expectErr(&sym, 1, x, 12, 1, "sym: signed symmetric codes need bits >= 2", "binary");
  QaQuantSpec pow2 = mk(QA_Q_POW2, QA_CLIP_MINMAX, 0, 1, 0);
  expectErr(&pow2, 1, x, 12, 1, "pow2: signed", "bits >= 2");
  QaQuantSpec kh = mk(QA_Q_KHOT, QA_CLIP_MINMAX, 0, 9, 0);
  expectErr(&kh, 8, x, 12, 1, "khot9: khot k = 9 out of range 1..8", NULL);
  kh.k = 0;
  expectErr(&kh, 8, x, 12, 1, "k = 0 out of range 1..8", NULL);
  QaQuantSpec ter = mk(QA_Q_TERNARY, QA_CLIP_MINMAX, 0, 0, 0);
  expectErr(&ter, 1, x, 12, 1, "ternary: ternary codes {-1,0,1} need bits >= 2", NULL);
  ter.ternary_delta = 1.5;
  expectErr(&ter, 2, x, 12, 1, "ternary delta 1.5 out of range [0, 1)", NULL);
  ter.ternary_delta = 0;
  ter.clip = QA_CLIP_MSE;
  expectErr(&ter, 2, x, 12, 1, "mse clipping does not apply", NULL);
  QaQuantSpec ch = mk(QA_Q_SYM, QA_CLIP_MINMAX, 1, 0, 0);
  expectErr(&ch, 8, x, 12, 5, "tensor size 12 is not a multiple of n_channels 5", NULL);
  expectErr(&ch, 8, x, 12, 0, "needs n_channels >= 1", NULL);
  x[5] = NAN;
  expectErr(&sym, 8, x, 12, 1, "non-finite input at flat index 5", "nan");
  x[5] = -0.5f;
  x[11] = -INFINITY;
  expectErr(&sym, 8, x, 12, 1, "non-finite input at flat index 11", "inf");
  x[11] = 5.5f;
  QaQuantSpec bad = sym;
  bad.scheme = (QaQuantScheme)42;
  expectErr(&bad, 8, x, 12, 1, "unknown quantizer scheme 42", NULL);

  /* Valid 1-bit cases: unsigned and pow2-u give {0, 1}; binary gives +-1. */
  int32_t q[12];
  QaQuantResult res;
  QaQuantSpec u1[] = {mk(QA_Q_UNSIGNED, QA_CLIP_MINMAX, 0, 0, 0), mk(QA_Q_POW2, QA_CLIP_MINMAX, 0, 1, 1),
                      mk(QA_Q_KHOT, QA_CLIP_MSE, 0, 3, 1)};
  for (int i = 0; i < 3; i++) {
    quant(&u1[i], 1, x, 12, 1, q, &res);
    CHECK(res.min_code == 0 && res.max_code == 1 && q[0] == 0 && q[11] == 1);
    qaQuantResultFree(&res);
  }
}

static void checkParse(void) {
  const char *forms[] = {"sym",          "sym-mse",        "sym-ch",          "sym-ch-mse",
                         "unsigned",     "unsigned-mse",   "unsigned-ch",     "unsigned-ch-mse",
                         "pow2",         "pow2-u",         "pow2-mse",        "pow2-u-ch-mse",
                         "khot1",        "khot2",          "khot3",           "khot4",
                         "khot5",        "khot6",          "khot7",           "khot8",
                         "khot2-u",      "khot3-u-ch-mse", "ternary",         "ternary-ch",
                         "khot2-naf",    "khot2-u-naf-ch", "fixed",           "fixed-u",
                         "fixed-ch-mse", "ternary-d0.05",  "ternary-d0.5-ch", "binary",
                         "binary-ch"};
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    QaQuantSpec s;
    QaErr err = {0};
    char buf[64];
    CHECK_MSG(qaQuantParse(forms[i], &s, &err) == QA_OK, "%s: %s", forms[i], err.msg);
    qaQuantFormat(&s, buf, sizeof buf);
    CHECK_MSG(strcmp(buf, forms[i]) == 0, "round trip %s -> %s", forms[i], buf);
  }
  QaQuantSpec s;
  CHECK(qaQuantParse("sym-ch-mse", &s, NULL) == QA_OK && s.scheme == QA_Q_SYM && s.per_channel == 1 &&
        s.clip == QA_CLIP_MSE && s.unsigned_codes == 0);
  CHECK(qaQuantParse("pow2", &s, NULL) == QA_OK && s.scheme == QA_Q_POW2 && s.k == 1 && !s.unsigned_codes);
  CHECK(qaQuantParse("khot3-u", &s, NULL) == QA_OK && s.scheme == QA_Q_KHOT && s.k == 3 && s.unsigned_codes &&
        s.clip == QA_CLIP_MINMAX && !s.per_channel);
  CHECK(qaQuantParse("ternary-d0.05", &s, NULL) == QA_OK && s.ternary_delta == 0.05);
  CHECK(qaQuantParse("ternary", &s, NULL) == QA_OK && s.ternary_delta == 0);
  char buf[64];
  CHECK(qaQuantParse("sym-mse-ch", &s, NULL) == QA_OK);
  qaQuantFormat(&s, buf, sizeof buf);
  CHECK(strcmp(buf, "sym-ch-mse") == 0);

  /* Every valid spec struct formats to text that parses back to the same struct. */
  for (int sc = QA_Q_SYM; sc <= QA_Q_BINARY; sc++)
    for (int k = 1; k <= (sc == QA_Q_KHOT ? 8 : 1); k++)
      for (int u = 0; u <= (sc == QA_Q_POW2 || sc == QA_Q_KHOT); u++)
        for (int ch = 0; ch <= 1; ch++)
          for (int clip = 0; clip <= (sc < QA_Q_TERNARY); clip++)
            for (int d = 0; d <= 2 * (sc == QA_Q_TERNARY); d++) {
              QaQuantSpec a =
                  mk((QaQuantScheme)sc, (QaQuantClip)clip, ch, sc == QA_Q_KHOT || sc == QA_Q_POW2 ? k : 0, u);
              a.ternary_delta = d == 0 ? 0 : d == 1 ? 0.1 : 0.123456789;
              QaQuantSpec b;
              QaErr err = {0};
              qaQuantFormat(&a, buf, sizeof buf);
              int rc = qaQuantParse(buf, &b, &err);
              CHECK_MSG(rc == QA_OK && specEq(&a, &b), "struct round trip via '%s': %s", buf, err.msg);
            }

  struct {
    const char *text, *want;
  } bad[] = {
      {"foo", "unknown quantizer 'foo'"},
      {"khot", "khot needs k in 1..8"},
      {"khot9", "khot needs k in 1..8"},
      {"khot0", "khot needs k in 1..8"},
      {"khot22", "khot needs k in 1..8"},
      {"sym-u", "-u applies to pow2, khot, fixed and none only"},
      {"unsigned-u", "-u applies to pow2, khot, fixed and none only"},
      {"sym-naf", "-naf applies to khot only"},
      {"khot2-naf-naf", "-naf given twice"},
      {"ternary-mse", "-mse does not apply to ternary/binary"},
      {"binary-mse", "-mse does not apply"},
      {"sym-ch-ch", "-ch given twice"},
      {"sym-", "unknown option '-'"},
      {"sym-fast", "unknown option '-fast'"},
      {"sym-d0.5", "unknown option '-d0.5'"},
      {"ternary-d2", "fraction in (0, 1)"},
      {"ternary-dx", "fraction in (0, 1)"},
      {"ternary-d", "fraction in (0, 1)"},
      {"ternary-d 0.5", "fraction in (0, 1)"},
      {"ternary-d0x0.1", "fraction in (0, 1)"},
      {"ternary-dnan", "fraction in (0, 1)"},
      {"", "unknown quantizer ''"},
      {"SYM", "unknown quantizer 'SYM'"},
      {"sym-ch-mse-and-a-very-long-tail-that-does-not-fit-in-the-buffer-at-all", "unknown quantizer"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    QaErr err = {0};
    s.scheme = QA_Q_BINARY;
    int rc = qaQuantParse(bad[i].text, &s, &err);
    CHECK_MSG(rc == QA_EUSER && strstr(err.msg, bad[i].want) && strstr(err.msg, "valid: sym, sym-mse") &&
                  strstr(err.msg, "khot1..khot8") && strstr(err.msg, bad[i].text),
              "'%s' -> rc %d '%s'", bad[i].text, rc, err.msg);
    CHECK(s.scheme == QA_Q_BINARY); /* *out untouched on error */
  }
  QaErr err = {0};
  CHECK(qaQuantParse(NULL, &s, &err) == QA_EUSER);
}

/* fixed: a power-of-two scale, the smallest that fits max|x| in the code range (the
** layer's radix point), codes = round(x / scale); a hand-worked tensor; ~6 dB per bit. */
static void checkFixed(void) {
  /* {0.3, -1.7, 2.9, 0.05} at 4 bits signed (codes -7..7): max 2.9 / 7 = 0.414 -> scale
  ** 0.5 (2^-1): codes round(0.6) = 1, round(-3.4) = -3, round(5.8) = 6, round(0.1) = 0. */
  float y[4] = {0.3f, -1.7f, 2.9f, 0.05f};
  int32_t q4[4];
  QaQuantSpec f = mk(QA_Q_FIXED, QA_CLIP_MINMAX, 0, 0, 0);
  QaQuantResult res;
  quant(&f, 4, y, 4, 1, q4, &res);
  CHECK(res.scales && res.scales[0] == 0.5);
  CHECK(q4[0] == 1 && q4[1] == -3 && q4[2] == 6 && q4[3] == 0);
  qaQuantResultFree(&res);
  /* unsigned at 3 bits (0..7): max 2.9 / 7 -> 0.5 as well; negatives clip to 0 */
  QaQuantSpec fu = mk(QA_Q_FIXED, QA_CLIP_MINMAX, 0, 0, 1);
  quant(&fu, 3, y, 4, 1, q4, &res);
  CHECK(res.scales && res.scales[0] == 0.5 && q4[1] == 0 && q4[2] == 6);
  qaQuantResultFree(&res);
  static float x[N];
  static int32_t q[N];
  gauss(x, N, 21, 3.0);
  double prev = -1e9;
  for (int b = 2; b <= 16; b++) {
    double db = quant(&f, b, x, N, 1, q, &res);
    double s = res.scales[0], e = log2(s), amax = 0;
    for (int i = 0; i < N; i++) amax = fabs(x[i]) > amax ? fabs(x[i]) : amax;
    int32_t qmax = (1 << (b - 1)) - 1;
    CHECK_MSG(e == floor(e) && amax <= qmax * s && amax > qmax * s / 2, "fixed b=%d: scale %g for max %g", b,
              s, amax);
    if (b > 5) CHECK_MSG(db - prev > 4.5 && db - prev < 7.5, "fixed b=%d: %.2f dB after %.2f", b, db, prev);
    prev = db;
    qaQuantResultFree(&res);
  }
}

int main(void) {
  double t0 = qaNowSeconds();
  checkFixed();
  checkRanges();
  checkSqnrPerBit();
  checkMse();
  checkPerChannel();
  checkKhotNearest();
  checkKhotLimits();
  checkTernaryBinary();
  checkDegenerate();
  checkErrors();
  checkParse();
  printf("%.2f s\n", qaNowSeconds() - t0);
  return TEST_DONE();
}
