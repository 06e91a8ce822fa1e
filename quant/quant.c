/*
** quant.c - quantizers: sym, unsigned, pow2, khot, ternary, binary.
**
** sym/unsigned/pow2/khot share one path: a sorted set of representable code
** magnitudes (all integers 0..qmax for sym/unsigned; those of NAF weight <= k for
** khot, k = 1 for pow2), a scale chosen by the clip rule so that the clip maps to the
** largest representable magnitude, and nearest-code rounding. sym/unsigned round half
** away from zero; pow2/khot take the nearest representable code, ties to the smaller
** magnitude. For unsigned code ranges negative inputs give code 0 and the minmax clip
** is max(x, 0) (the negative side is not representable anyway).
** At b bits, pow2 signed codes are 0, +-1, +-2, ..., +-2^(b-2) (2^(b-1) itself is
** outside the symmetric range); pow2 unsigned codes are 0, 1, 2, ..., 2^(b-1).
** mse clip: 100 candidate clips f * clipmax, f = 1 - 0.95 i/99 (i = 0..99, so f = 1
** exactly is a candidate and mse never does worse than minmax), the first minimum of
** the squared error from f = 1 downwards wins. An all-zero block gets scale 1.
** ternary: threshold t = delta * max|x| (delta > 0) or 0.7 * mean|x| (TWN); codes
** sign(x) where |x| > t, else 0; scale = mean |x| over |x| > t.
** binary: codes sign(x) with sign(0) = +1, scale = mean |x| (1 for an all-zero block,
** whose values then dequantize to +1: scales are always positive).
** none: the values are copied as codes after checking each is an integer in range.
*/
#include "quant/quant.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quant/terms.h"

#define MSE_CANDIDATES 100

typedef struct Coder {
  int nonneg;          /* unsigned codes: negative inputs give 0 */
  const int32_t *mags; /* sorted representable magnitudes (mags[0] = 0); NULL = all integers */
  int32_t n_mags;
  int32_t qmax; /* largest representable magnitude: the clip maps to it */
  /* with mags, for each integer f in 0..qmax: the largest magnitude <= f and the smallest
  ** one > f (HUGE_VAL past the last), so the nearest magnitude is a lookup, not a search */
  const double *dn, *up;
} Coder;

static int isSigned(const QaQuantSpec *s) {
  return s->scheme == QA_Q_SYM || ((s->scheme == QA_Q_POW2 || s->scheme == QA_Q_KHOT ||
                                    s->scheme == QA_Q_FIXED || s->scheme == QA_Q_NONE) &&
                                   !s->unsigned_codes);
}

/* 1 if magnitude m is a code of a pow2 / khot scheme: at most k one-bits (DATE 2020's
** k-hot), or at most k signed-digit terms for the -naf variant. */
static int khotMag(const QaQuantSpec *s, int32_t m, int k) {
  return (s->scheme == QA_Q_KHOT && s->khot_naf ? qaTermsCount(QA_ENC_NAF, m)
                                                : qaTermsCount(QA_ENC_POPCOUNT, m)) <= k;
}

static int termsK(const QaQuantSpec *s) { return s->scheme == QA_Q_POW2 ? 1 : s->k; }

/* Largest code magnitude of the nominal range at `bits` (before the k-term filter). */
static int32_t rangeMax(const QaQuantSpec *s, int bits) {
  return isSigned(s) ? (int32_t)((1u << (bits - 1)) - 1) : (int32_t)((1u << bits) - 1);
}

/* The extremes of the codes a scheme can produce (pow2: +-2^(b-2), not the nominal
** 2^(b-1)-1); [0, 0] for a combination qaQuantize rejects (bits, signed 1-bit, k < 1). */
void qaQuantCodeRange(const QaQuantSpec *spec, int bits, int32_t *lo, int32_t *hi) {
  *lo = *hi = 0;
  if (!spec || bits < 1 || bits > 16) return;
  switch (spec->scheme) {
    case QA_Q_TERNARY:
    case QA_Q_BINARY:
      *lo = -1;
      *hi = 1;
      return;
    case QA_Q_NONE: /* two's complement */
      *hi = spec->unsigned_codes ? (int32_t)((1u << bits) - 1) : (int32_t)((1u << (bits - 1)) - 1);
      *lo = spec->unsigned_codes ? 0 : -(int32_t)(1u << (bits - 1));
      return;
    case QA_Q_SYM:
    case QA_Q_UNSIGNED:
    case QA_Q_FIXED:
    case QA_Q_POW2:
    case QA_Q_KHOT: {
      int filtered = spec->scheme == QA_Q_POW2 || spec->scheme == QA_Q_KHOT, k = termsK(spec);
      int32_t m = rangeMax(spec, bits);
      if (filtered && k < 1) return;
      while (filtered && m > 0 && !khotMag(spec, m, k)) m--;
      *hi = m;
      *lo = isSigned(spec) ? -m : 0;
      return;
    }
  }
}

/* Sums of squares in eight lanes: element i of a block goes to lane i mod 8, and the lanes
** are added in a fixed tree, so a sum does not depend on how a loop is vectorised (and the
** processor overlaps eight chains of additions instead of waiting on one). */
typedef struct Sum8 {
  double v[8];
} Sum8;
static double sum8Total(const Sum8 *s) {
  return ((s->v[0] + s->v[1]) + (s->v[2] + s->v[3])) + ((s->v[4] + s->v[5]) + (s->v[6] + s->v[7]));
}
/* Lanes of the N values X, x[j] into lane (OFF + j) mod 8 (N a multiple of 8 except for a
** block's last slice): the lanes rotated by OFF, added in order, rotated back. */
static void sum8Add(Sum8 *s, const double *x, int n, int off) {
  Sum8 r;
  for (int q = 0; q < 8; q++) r.v[q] = s->v[(off + q) & 7];
  int j = 0;
  for (; j + 8 <= n; j += 8)
    for (int q = 0; q < 8; q++) r.v[q] += x[j + q];
  for (int q = 0; j < n; j++, q++) r.v[q] += x[j];
  for (int q = 0; q < 8; q++) s->v[(off + q) & 7] = r.v[q];
}

/* Quantize one block at `scale`: writes codes if non-NULL, adds the squared errors to the
** lanes of *ERR and the signal power x^2 to those of *SG if SG is non-NULL, element i of the
** block to lane (OFF + i) mod 8.
** The codes are computed in slices by a branch-free loop the compiler vectorises: the
** value over the scale, clamped to [0 for unsigned codes or -qmax, qmax], rounded half away
** from zero; with a magnitude set (pow2, khot) the nearest magnitude instead, ties to the
** smaller one, looked up in the Coder's tables. */
#define SLICE 512
static void codeBlock(const Coder *c, const float *x, int64_t m, double scale, int32_t *codes, Sum8 *err,
                      Sum8 *sg, int off) {
  double qmax = c->qmax, d2[SLICE], x2[SLICE];
  int32_t q[SLICE];
  /* unsigned codes: t <= 0 (-0 too) becomes +0, whose code is 0, by a max the compiler
  ** vectorises (a branch on c->nonneg inside the loop kept it scalar) */
  double tlo = c->nonneg ? 0.0 : -HUGE_VAL;
  const double *dn = c->dn, *up = c->up;
  for (int64_t i0 = 0; i0 < m; i0 += SLICE) {
    int n = m - i0 < SLICE ? (int)(m - i0) : SLICE;
    const float *xs = x + i0;
    for (int j = 0; j < n; j++) {
      double t = xs[j] / scale;
      t = t > tlo ? t : tlo;
      double a = fabs(t);
      a = a > qmax ? qmax : a;
      int32_t mm = (int32_t)(a + 0.5);
      mm -= (double)mm - a > 0.5;
      if (dn) { /* the nearest magnitude of the set, ties to the smaller one */
        int32_t f = (int32_t)a;
        double lo = dn[f], hi = up[f];
        mm = (int32_t)(hi - a < a - lo ? hi : lo);
      }
      int32_t v = t < 0 ? -mm : mm;
      double d = xs[j] - v * scale;
      q[j] = v;
      d2[j] = d * d;
    }
    sum8Add(err, d2, n, off);
    if (sg) {
      for (int j = 0; j < n; j++) x2[j] = (double)xs[j] * xs[j];
      sum8Add(sg, x2, n, off);
    }
    if (codes) memcpy(codes + i0, q, (size_t)n * sizeof *q);
  }
}

/* The squared error of a block at `scale` (a clipping candidate). */
static double blockErr(const Coder *c, const float *x, int64_t m, double scale) {
  Sum8 err = {{0}};
  codeBlock(c, x, m, scale, NULL, &err, NULL, 0);
  return sum8Total(&err);
}

/* The largest |x| (or x, and at least 0, for unsigned codes) of finite floats, as the
** largest bit pattern: non-negative floats order as their bits do, so an integer max (which
** the compiler vectorises; a float max with its NaN rules it does not) finds the same value. */
static float clipOf(const float *x, int64_t m, int nonneg) {
  uint32_t best = 0;
  if (nonneg) { /* negative floats are negative int32s: below 0 */
    int32_t b = 0;
    for (int64_t i = 0; i < m; i++) {
      int32_t u;
      memcpy(&u, &x[i], sizeof u);
      b = u > b ? u : b;
    }
    best = (uint32_t)b;
  } else {
    for (int64_t i = 0; i < m; i++) {
      uint32_t u;
      memcpy(&u, &x[i], sizeof u);
      u &= 0x7fffffffu;
      best = u > best ? u : best;
    }
  }
  float f;
  memcpy(&f, &best, sizeof f);
  return f;
}

/* The scale of a block: CLIP its largest value (qaQuantClip; < 0: from X). */
static double uniformScale(const QaQuantSpec *spec, const Coder *c, const float *x, int64_t m, double clip) {
  if (clip < 0) clip = clipOf(x, m, c->nonneg);
  if (clip == 0) return 1.0;
  double best_scale = clip / c->qmax;
  if (spec->scheme == QA_Q_FIXED) { /* the smallest power of two that fits the clip */
    double p2 = exp2(ceil(log2(best_scale)));
    if (p2 < best_scale) p2 *= 2; /* log2 rounding */
    /* mse: clip the largest values when that lowers the error */
    if (spec->clip == QA_CLIP_MSE && blockErr(c, x, m, p2 / 2) < blockErr(c, x, m, p2)) p2 /= 2;
    return p2;
  }
  if (spec->clip == QA_CLIP_MSE) {
    double best_err = blockErr(c, x, m, best_scale);
    for (int i = 1; i < MSE_CANDIDATES; i++) {
      double s = clip * (1.0 - 0.95 * i / (MSE_CANDIDATES - 1)) / c->qmax;
      double e = blockErr(c, x, m, s);
      if (e < best_err) {
        best_err = e;
        best_scale = s;
      }
    }
  }
  return best_scale;
}

static double ternaryBlock(const QaQuantSpec *spec, const float *x, int64_t m, int32_t *codes) {
  double amax = 0, asum = 0;
  for (int64_t i = 0; i < m; i++) {
    double a = fabs(x[i]);
    asum += a;
    if (a > amax) amax = a;
  }
  double thr = spec->ternary_delta > 0 ? spec->ternary_delta * amax : 0.7 * asum / (double)(m ? m : 1);
  double kept = 0;
  int64_t n_kept = 0;
  for (int64_t i = 0; i < m; i++) {
    double a = fabs(x[i]);
    codes[i] = a > thr ? (x[i] < 0 ? -1 : 1) : 0;
    if (a > thr) {
      kept += a;
      n_kept++;
    }
  }
  return n_kept ? kept / (double)n_kept : 1.0;
}

static double binaryBlock(const float *x, int64_t m, int32_t *codes) {
  double asum = 0;
  for (int64_t i = 0; i < m; i++) {
    asum += fabs(x[i]);
    codes[i] = x[i] < 0 ? -1 : 1;
  }
  return asum > 0 ? asum / (double)m : 1.0;
}

/* none: integer codes pass through unchanged (checked: integral, inside the range). */
static int passThrough(const QaQuantSpec *spec, int bits, const float *x, int64_t n, int32_t *codes,
                       QaQuantResult *res, QaErr *err) {
  int32_t lo, hi;
  int neg = 0;
  for (int64_t i = 0; i < n && !neg; i++) neg = x[i] < 0;
  QaQuantSpec range = *spec; /* signed only when a code is negative */
  range.unsigned_codes = spec->unsigned_codes || !neg;
  qaQuantCodeRange(&range, bits, &lo, &hi);
  for (int64_t i = 0; i < n; i++) {
    double v = x[i];
    if (v != floor(v))
      return qaErrSet(err, QA_EUSER,
                      "quantizer none: value %.9g at flat index %lld is not an integer code; these values "
                      "need a quantizer (e.g. sym-ch for weights, unsigned for activations)",
                      v, (long long)i);
    if (v < lo || v > hi)
      return qaErrSet(err, QA_EUSER,
                      "quantizer none: code %.0f at flat index %lld does not fit %d-bit %s codes (%d..%d); "
                      "declare more bits (e.g. bits: {w: %d}) or quantize the values",
                      v, (long long)i, bits, range.unsigned_codes ? "unsigned" : "signed", (int)lo, (int)hi,
                      bits < 16 ? bits + 1 : 16);
    codes[i] = (int32_t)v;
    if (i == 0 || codes[i] < res->min_code) res->min_code = codes[i];
    if (i == 0 || codes[i] > res->max_code) res->max_code = codes[i];
  }
  res->scales = qaCalloc(1, sizeof(double), err);
  if (!res->scales) return QA_EINTERNAL;
  res->scales[0] = 1.0;
  res->n_channels = 1;
  res->sqnr_db = 999.0;
  return QA_OK;
}

/* 1 if every x[i] is finite: the exponent bits of none are all ones (a loop without early
** exit, which the compiler vectorises). */
static int allFinite(const float *x, int64_t n) {
  uint32_t bad = 0;
  for (int64_t i = 0; i < n; i++) {
    uint32_t u;
    memcpy(&u, &x[i], sizeof u);
    bad |= (u & 0x7f800000u) == 0x7f800000u;
  }
  return !bad;
}

static int checkArgs(const QaQuantSpec *spec, int bits, int64_t n, int64_t n_channels, QaErr *err) {
  char name[64];
  qaQuantFormat(spec, name, sizeof name);
  if ((unsigned)spec->scheme > QA_Q_NONE)
    return qaErrSet(err, QA_EUSER, "unknown quantizer scheme %d", (int)spec->scheme);
  if (bits < 1 || bits > 16) return qaErrSet(err, QA_EUSER, "%s: bits %d out of range 1..16", name, bits);
  if (spec->scheme == QA_Q_NONE && (spec->clip != QA_CLIP_MINMAX || spec->per_channel))
    return qaErrSet(err, QA_EUSER, "%s: none passes integer codes through; -ch and -mse do not apply", name);
  if (isSigned(spec) && bits < 2 && spec->scheme != QA_Q_NONE)
    return qaErrSet(err, QA_EUSER,
                    "%s: signed symmetric codes need bits >= 2 (1 bit holds only code 0); use binary "
                    "for 1-bit signed values%s",
                    name, spec->scheme == QA_Q_SYM ? " or unsigned for non-negative ones" : " or -u codes");
  if (spec->scheme == QA_Q_TERNARY && bits < 2)
    return qaErrSet(err, QA_EUSER, "%s: ternary codes {-1,0,1} need bits >= 2; use binary for 1 bit", name);
  if (spec->scheme == QA_Q_KHOT && (spec->k < 1 || spec->k > 8))
    return qaErrSet(err, QA_EUSER, "%s: khot k = %d out of range 1..8", name, spec->k);
  if (spec->clip != QA_CLIP_MINMAX && spec->clip != QA_CLIP_MSE)
    return qaErrSet(err, QA_EUSER, "%s: unknown clip rule %d", name, (int)spec->clip);
  if (spec->clip == QA_CLIP_MSE && spec->scheme >= QA_Q_TERNARY)
    return qaErrSet(err, QA_EUSER,
                    "%s: mse clipping does not apply to ternary/binary (their scale is a mean)", name);
  if (spec->scheme == QA_Q_TERNARY && !(spec->ternary_delta >= 0 && spec->ternary_delta < 1))
    return qaErrSet(err, QA_EUSER, "%s: ternary delta %g out of range [0, 1)", name, spec->ternary_delta);
  if (n < 0) return qaErrSet(err, QA_EUSER, "%s: negative tensor size %lld", name, (long long)n);
  if (spec->per_channel && n_channels < 1)
    return qaErrSet(err, QA_EUSER, "%s: per-channel quantization needs n_channels >= 1, got %lld", name,
                    (long long)n_channels);
  if (spec->per_channel && n % n_channels != 0)
    return qaErrSet(err, QA_EUSER, "%s: tensor size %lld is not a multiple of n_channels %lld", name,
                    (long long)n, (long long)n_channels);
  return QA_OK;
}

double qaQuantSqnrDb(double sig, double noise) {
  return sig == 0 ? 0.0 : noise == 0 ? 999.0 : 10.0 * log10(sig / noise);
}

double qaQuantSumsDb(const QaQuantSums *s) {
  Sum8 sg, er;
  memcpy(sg.v, s->lsig, sizeof sg.v);
  memcpy(er.v, s->lnoise, sizeof er.v);
  return qaQuantSqnrDb(s->sig + sum8Total(&sg), s->noise + sum8Total(&er));
}

int qaQuantStreamable(const QaQuantSpec *spec) {
  return spec->per_channel || (spec->clip == QA_CLIP_MINMAX && spec->scheme <= QA_Q_FIXED);
}

double qaQuantClip(const QaQuantSpec *spec, const float *x, int64_t n) {
  return clipOf(x, n, !isSigned(spec));
}

int qaQuantize(const QaQuantSpec *spec, int bits, const float *x, int64_t n, int64_t n_channels,
               int32_t *codes_out, QaQuantResult *res, QaErr *err) {
  QaQuantSums sums;
  memset(&sums, 0, sizeof sums);
  return qaQuantizePart(spec, bits, x, n, n_channels, -1.0, codes_out, res, &sums, err);
}

int qaQuantizePart(const QaQuantSpec *spec, int bits, const float *x, int64_t n, int64_t n_channels,
                   double clip, int32_t *codes_out, QaQuantResult *res, QaQuantSums *sums, QaErr *err) {
  int rc = QA_OK;
  int32_t *mags = NULL;
  double *near = NULL;
  memset(res, 0, sizeof *res);
  if ((rc = checkArgs(spec, bits, n, n_channels, err)) != QA_OK) goto end;
  if (!allFinite(x, n))
    for (int64_t i = 0; i < n; i++)
      if (!isfinite(x[i])) {
        rc = qaErrSet(err, QA_EUSER, "non-finite input at flat index %lld (%g)", (long long)i, (double)x[i]);
        goto end;
      }

  if (spec->scheme == QA_Q_NONE) {
    rc = passThrough(spec, bits, x, n, codes_out, res, err);
    goto end;
  }
  int64_t n_ch = spec->per_channel ? n_channels : 1, block = n / n_ch;
  res->scales = qaCalloc((size_t)n_ch, sizeof(double), err);
  if (!res->scales) {
    rc = QA_EINTERNAL;
    goto end;
  }
  res->n_channels = n_ch;

  Coder c = {.nonneg = !isSigned(spec), .qmax = rangeMax(spec, bits)};
  if (spec->scheme == QA_Q_POW2 || spec->scheme == QA_Q_KHOT) {
    int k = termsK(spec);
    mags = qaMalloc(((size_t)c.qmax + 1) * sizeof *mags, err);
    if (!mags) {
      rc = QA_EINTERNAL;
      goto end;
    }
    for (int32_t m = 0; m <= c.qmax; m++)
      if (khotMag(spec, m, k)) mags[c.n_mags++] = m;
    c.mags = mags;
    c.qmax = mags[c.n_mags - 1];
    near = qaMalloc(2 * ((size_t)c.qmax + 1) * sizeof *near, err);
    if (!near) {
      rc = QA_EINTERNAL;
      goto end;
    }
    for (int32_t f = 0, j = 0; f <= c.qmax; f++) {
      while (j + 1 < c.n_mags && mags[j + 1] <= f) j++;
      near[f] = mags[j];
      near[c.qmax + 1 + f] = j + 1 < c.n_mags ? mags[j + 1] : HUGE_VAL;
    }
    c.dn = near;
    c.up = near + c.qmax + 1;
  }

  double sig = sums->sig, noise = sums->noise;
  Sum8 lsig, lnoise; /* per tensor: the tensor's lanes */
  memcpy(lsig.v, sums->lsig, sizeof lsig.v);
  memcpy(lnoise.v, sums->lnoise, sizeof lnoise.v);
  for (int64_t ch = 0; ch < n_ch; ch++) {
    const float *xb = x + ch * block;
    int32_t *qb = codes_out + ch * block;
    double s;
    if (spec->scheme == QA_Q_TERNARY)
      s = ternaryBlock(spec, xb, block, qb);
    else if (spec->scheme == QA_Q_BINARY)
      s = binaryBlock(xb, block, qb);
    else
      s = uniformScale(spec, &c, xb, block, spec->per_channel ? -1.0 : clip);
    if (spec->scheme < QA_Q_TERNARY && !spec->per_channel) {
      codeBlock(&c, xb, block, s, qb, &lnoise, &lsig, (int)(sums->n & 7));
    } else if (spec->scheme < QA_Q_TERNARY) {
      Sum8 er = {{0}}, sg = {{0}};
      codeBlock(&c, xb, block, s, qb, &er, &sg, 0);
      noise += sum8Total(&er);
      sig += sum8Total(&sg);
    } else {
      for (int64_t i = 0; i < block; i++) {
        double d = xb[i] - qb[i] * s;
        noise += d * d;
      }
      for (int64_t i = 0; i < block; i++) sig += (double)xb[i] * xb[i];
    }
    res->scales[ch] = s;
  }
  int32_t lo = n ? codes_out[0] : 0, hi = lo;
  for (int64_t i = 0; i < n; i++) {
    lo = codes_out[i] < lo ? codes_out[i] : lo;
    hi = codes_out[i] > hi ? codes_out[i] : hi;
  }
  res->min_code = lo;
  res->max_code = hi;
  sums->sig = sig;
  sums->noise = noise;
  memcpy(sums->lsig, lsig.v, sizeof lsig.v);
  memcpy(sums->lnoise, lnoise.v, sizeof lnoise.v);
  sums->n += n;
  res->sqnr_db = qaQuantSumsDb(sums);
end:
  free(mags);
  free(near);
  if (rc != QA_OK) qaQuantResultFree(res);
  return rc;
}

void qaQuantResultFree(QaQuantResult *res) {
  if (!res) return;
  free(res->scales);
  memset(res, 0, sizeof *res);
}

/* ---- spec text: <scheme>[-u][-d<frac>][-ch][-mse], options in any order on input */

static const char *const g_scheme_names[] = {"sym",   "unsigned", "pow2",   "khot",
                                             "fixed", "ternary",  "binary", "none"};

#define VALID_FORMS                                                                                \
  "valid: sym, sym-mse, sym-ch, sym-ch-mse, unsigned[-ch][-mse], pow2[-u][-ch][-mse], "            \
  "khot1..khot8[-u][-naf][-ch][-mse], fixed[-u][-ch][-mse], ternary[-d<frac>][-ch], binary[-ch], " \
  "none[-u] (integer codes as they are)"

static void formatDelta(double d, char *buf, size_t len) {
  /* Shortest fixed-point text that reads back to the same double ('-' and 'e' would
  ** clash with the option syntax). */
  for (int p = 1; p <= 40; p++) {
    snprintf(buf, len, "%.*f", p, d);
    if (strtod(buf, NULL) == d) return;
  }
}

void qaQuantFormat(const QaQuantSpec *spec, char *buf, size_t len) {
  char delta[64] = "";
  if (!len) return;
  if ((unsigned)spec->scheme > QA_Q_NONE) {
    snprintf(buf, len, "invalid");
    return;
  }
  int pk = spec->scheme == QA_Q_POW2 || spec->scheme == QA_Q_KHOT;
  if (spec->scheme == QA_Q_TERNARY && spec->ternary_delta > 0) {
    delta[0] = '-';
    delta[1] = 'd';
    formatDelta(spec->ternary_delta, delta + 2, sizeof delta - 2);
  }
  char k[16] = "";
  if (spec->scheme == QA_Q_KHOT) snprintf(k, sizeof k, "%d", spec->k);
  int uu = (pk || spec->scheme == QA_Q_FIXED || spec->scheme == QA_Q_NONE) && spec->unsigned_codes;
  snprintf(buf, len, "%s%s%s%s%s%s%s", g_scheme_names[spec->scheme], k, uu ? "-u" : "",
           spec->scheme == QA_Q_KHOT && spec->khot_naf ? "-naf" : "", delta, spec->per_channel ? "-ch" : "",
           spec->clip == QA_CLIP_MSE ? "-mse" : "");
}

int qaQuantParse(const char *text, QaQuantSpec *out, QaErr *err) {
  QaQuantSpec s = {0};
  char buf[64];
  int seen_u = 0, seen_d = 0, seen_ch = 0, seen_mse = 0, seen_naf = 0;
  if (!text || strlen(text) >= sizeof buf) goto bad;
  memcpy(buf, text, strlen(text) + 1);
  char *opt = strchr(buf, '-');
  if (opt) *opt++ = 0;

  if (strncmp(buf, "khot", 4) == 0) {
    if (buf[4] < '1' || buf[4] > '8' || buf[5] != 0)
      return qaErrSet(err, QA_EUSER, "bad quantizer '%s': khot needs k in 1..8 (e.g. khot2); " VALID_FORMS,
                      text);
    s.scheme = QA_Q_KHOT;
    s.k = buf[4] - '0';
  } else {
    size_t i = 0;
    while (i < sizeof g_scheme_names / sizeof g_scheme_names[0] && strcmp(buf, g_scheme_names[i]) != 0) i++;
    if (i == sizeof g_scheme_names / sizeof g_scheme_names[0] || i == QA_Q_KHOT) goto bad;
    s.scheme = (QaQuantScheme)i;
    if (s.scheme == QA_Q_POW2) s.k = 1;
  }

  while (opt) {
    char *next = strchr(opt, '-');
    if (next) *next++ = 0;
    const char *why = NULL;
    if (strcmp(opt, "naf") == 0) {
      if (s.scheme != QA_Q_KHOT)
        why = "-naf applies to khot only";
      else if (seen_naf++)
        why = "-naf given twice";
      s.khot_naf = 1;
    } else if (strcmp(opt, "u") == 0) {
      if (s.scheme != QA_Q_POW2 && s.scheme != QA_Q_KHOT && s.scheme != QA_Q_FIXED && s.scheme != QA_Q_NONE)
        why = "-u applies to pow2, khot, fixed and none only";
      else if (seen_u++)
        why = "-u given twice";
      s.unsigned_codes = 1;
    } else if (strcmp(opt, "ch") == 0) {
      if (s.scheme == QA_Q_NONE)
        why = "-ch does not apply to none (the codes are used as they are)";
      else if (seen_ch++)
        why = "-ch given twice";
      s.per_channel = 1;
    } else if (strcmp(opt, "mse") == 0) {
      if (s.scheme >= QA_Q_TERNARY)
        why = "-mse does not apply to ternary/binary/none";
      else if (seen_mse++)
        why = "-mse given twice";
      s.clip = QA_CLIP_MSE;
    } else if (opt[0] == 'd' && s.scheme == QA_Q_TERNARY) {
      char *end;
      s.ternary_delta = strtod(opt + 1, &end);
      if (seen_d++)
        why = "-d given twice";
      else if (end == opt + 1 || *end || strspn(opt + 1, "0123456789.") != strlen(opt + 1) ||
               !(s.ternary_delta > 0 && s.ternary_delta < 1))
        why = "ternary -d<frac> needs a fraction in (0, 1), e.g. ternary-d0.05";
    } else {
      return qaErrSet(err, QA_EUSER, "bad quantizer '%s': unknown option '-%s'; " VALID_FORMS, text, opt);
    }
    if (why) return qaErrSet(err, QA_EUSER, "bad quantizer '%s': %s; " VALID_FORMS, text, why);
    opt = next;
  }
  *out = s;
  return QA_OK;
bad:
  return qaErrSet(err, QA_EUSER, "unknown quantizer '%s' (" VALID_FORMS ")", text ? text : "(null)");
}
