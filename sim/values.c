/*
** values.c - a layer's operands: load, quantize, and the quality of the output (see values.h).
*/
#include "sim/values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __AVX512F__
#include <immintrin.h>
#endif

#include "arch/arch.h"
#include "workloads/trace.h"

int qaValuesQuantizers(const QaValuesSpec *spec, const QaLayer *l, QaQuantSpec *qa, int *qa_auto,
                       QaQuantSpec *qw, QaErr *err) {
  int rc;
  *qa = spec->qa;
  *qa_auto = spec->qa_auto;
  *qw = spec->qw;
  if (l->quant_a[0]) {
    *qa_auto = !strcmp(l->quant_a, "auto");
    if (!*qa_auto && (rc = qaQuantParse(l->quant_a, qa, err))) {
      qaErrPrefix(err, "layer '%s' key 'quant.a'", l->name);
      return rc;
    }
  }
  if (l->quant_w[0] && (rc = qaQuantParse(l->quant_w, qw, err))) {
    qaErrPrefix(err, "layer '%s' key 'quant.w'", l->name);
    return rc;
  }
  return QA_OK;
}

void qaValuesFree(QaLayerValues *v) {
  if (!v) return;
  free(v->fa);
  free(v->fw);
  free(v->bias);
  free(v->out);
  free(v->wcodes);
  free(v->wscale);
  free(v->act);
  free(v->wgt);
  free(v->w_scale);
  free(v->ref);
  free(v->sample_ref);
  memset(v, 0, sizeof *v);
}

int qaValuesLoad(const QaValuesSpec *spec, const QaLayer *l, int idx, QaLayerValues *v, QaErr *err) {
  int64_t na = qaLayerActCount(l), nw = qaLayerWgtCount(l);
  int traced_a = !spec->synthetic && l->act_trace[0], traced_w = !spec->synthetic && l->wgt_trace[0];
  int rc;
  memset(v, 0, sizeof *v);
  v->src = traced_a || traced_w ? "trace" : "synthetic";
  if (!traced_a || !traced_w) {
    v->fa = qaMalloc((size_t)na * sizeof(float), err);
    v->fw = qaMalloc((size_t)nw * sizeof(float), err);
    if (!v->fa || !v->fw) return QA_EINTERNAL;
    qaSynthLayer(&spec->synth, l, idx, v->fa, v->fw);
  }
  if (traced_a) {
    free(v->fa);
    v->fa = NULL;
    if ((rc = qaTraceReadFloat(l, QA_TRACE_ACT, &v->fa, err))) return rc;
  }
  if (traced_w) {
    free(v->fw);
    v->fw = NULL;
    if ((rc = qaTraceReadFloat(l, QA_TRACE_WGT, &v->fw, err))) return rc;
  }
  if (spec->synthetic) return QA_OK;
  if (l->bias_trace[0] && (rc = qaTraceReadFloat(l, QA_TRACE_BIAS, &v->bias, err))) return rc;
  /* the traced output is the reference only for the traced operands that made it */
  if (l->out_trace[0] && traced_a && (traced_w || l->wgt_codes_trace[0]) &&
      (rc = qaTraceReadFloat(l, QA_TRACE_OUT, &v->out, err)))
    return rc;
  if (l->wgt_codes_trace[0]) {
    if ((rc = qaTraceReadFloat(l, QA_TRACE_WGT_CODES, &v->wcodes, err)) ||
        (rc = qaTraceReadDouble(l, QA_TRACE_WGT_SCALE, &v->wscale, err)))
      return rc;
    if (!traced_w) { /* the float weights are the codes times their scales */
      int64_t per = nw / l->k;
      for (int64_t i = 0; i < nw; i++) v->fw[i] = (float)(v->wcodes[i] * v->wscale[i / per]);
    }
  }
  return QA_OK;
}

/* SQNR in dB of an approximation with squared error NOISE of a signal of power SIG. */
static double sqnrDb(double sig, double noise) {
  return sig == 0 ? 0.0 : noise == 0 ? 999.0 : 10.0 * log10(sig / noise);
}

int qaValuesQuantize(const QaValuesSpec *spec, const QaLayer *l, int a_bits, int w_bits, QaLayerValues *v,
                     QaErr *err) {
  int64_t na = qaLayerActCount(l), nw = qaLayerWgtCount(l), per = nw / l->k;
  QaQuantResult qr;
  int qa_auto, rc;
  memset(&qr, 0, sizeof qr);
  if ((rc = qaValuesQuantizers(spec, l, &v->qa, &qa_auto, &v->qw, err))) return rc;
  if (qa_auto) {
    int neg = 0;
    for (int64_t i = 0; i < na && !neg; i++) neg = v->fa[i] < 0;
    memset(&v->qa, 0, sizeof v->qa);
    v->qa.scheme = neg ? QA_Q_SYM : QA_Q_UNSIGNED;
  }
  qaQuantFormat(&v->qa, v->quant_a, sizeof v->quant_a);
  qaQuantFormat(&v->qw, v->quant_w, sizeof v->quant_w);
  v->a_bits = a_bits;
  v->w_bits = w_bits;
  if (!v->act) v->act = qaMalloc((size_t)na * sizeof(int32_t), err);
  if (!v->wgt && !v->streamed) v->wgt = qaMalloc((size_t)nw * sizeof(int32_t), err);
  if (!v->w_scale) v->w_scale = qaMalloc((size_t)l->k * sizeof(double), err);
  if (!v->act || (!v->wgt && !v->streamed) || !v->w_scale) return QA_EINTERNAL;

  if ((rc = qaQuantize(&v->qa, a_bits, v->fa, na, 1, v->act, &qr, err))) {
    qaErrPrefix(err, "activations (quantizer %s, %d bits)", v->quant_a, a_bits);
    return rc;
  }
  v->a_scale = qr.scales[0];
  v->a_sqnr_db = qr.sqnr_db;
  v->a_signed = qr.min_code < 0;
  qaQuantResultFree(&qr);

  if (v->streamed) { /* the weights come window by window: their quantizer accepts w_bits? */
    float none = 0;
    int32_t code;
    rc = qaQuantize(&v->qw, w_bits, &none, 0, 1, &code, &qr, err);
    qaQuantResultFree(&qr);
    if (rc) qaErrPrefix(err, "weights (quantizer %s, %d bits)", v->quant_w, w_bits);
    return rc;
  }
  int codes = v->qw.scheme == QA_Q_NONE && v->wcodes;
  if ((rc = qaQuantize(&v->qw, w_bits, codes ? v->wcodes : v->fw, nw, l->k, v->wgt, &qr, err))) {
    qaErrPrefix(err, "weights (quantizer %s, %d bits%s)", v->quant_w, w_bits,
                codes ? ", trace.wgt_codes" : "");
    return rc;
  }
  for (int k = 0; k < l->k; k++) v->w_scale[k] = qr.n_channels > 1 ? qr.scales[k] : qr.scales[0];
  v->w_sqnr_db = qr.sqnr_db;
  qaQuantResultFree(&qr);
  if (codes) { /* the codes' own scales; their error against the float weights */
    double sig = 0, noise = 0;
    for (int64_t i = 0; i < nw; i++) {
      double s = v->wscale[i / per], d = v->fw[i] - v->wgt[i] * s;
      sig += (double)v->fw[i] * v->fw[i];
      noise += d * d;
    }
    for (int k = 0; k < l->k; k++) v->w_scale[k] = v->wscale[k];
    v->w_sqnr_db = sqnrDb(sig, noise);
  }
  return QA_OK;
}

/* ---- outputs ------------------------------------------------------------------------- */

typedef struct Pos {
  int n, k, oy, ox;
} Pos;

static Pos posOf(const QaLayer *l, int64_t i) {
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l);
  Pos p;
  p.ox = (int)(i % ow);
  i /= ow;
  p.oy = (int)(i % oh);
  i /= oh;
  p.k = (int)(i % l->k);
  p.n = (int)(i / l->k);
  return p;
}

/* The dot product of one output: integer codes (A, W) or floats (FA, FW), whichever is given. */
static double dotAt(const QaLayer *l, Pos p, const int32_t *a, const int32_t *w, const float *fa,
                    const float *fw) {
  int cg = l->c / l->groups, kg = l->k / l->groups, c0 = (p.k / kg) * cg;
  int64_t iacc = 0;
  double facc = 0;
  for (int c = 0; c < cg; c++)
    for (int r = 0; r < l->r; r++) {
      int y = p.oy * l->stride_h - l->pad_h + r;
      if (y < 0 || y >= l->h) continue;
      for (int s = 0; s < l->s; s++) {
        int x = p.ox * l->stride_w - l->pad_w + s;
        if (x < 0 || x >= l->w) continue;
        int64_t ai = (((int64_t)p.n * l->c + c0 + c) * l->h + y) * l->w + x;
        int64_t wi = (((int64_t)p.k * cg + c) * l->r + r) * l->s + s;
        if (a)
          iacc += (int64_t)a[ai] * w[wi];
        else
          facc += (double)fa[ai] * fw[wi];
      }
    }
  return a ? (double)iacc : facc;
}

/* The float dot products of up to DOTS_LANES outputs at once (output indices IDX[0..n)), each
** summed in dotAt's order (c, r, s; padding skipped), so each equals dotAt's: the lanes are
** independent chains of additions, which the processor overlaps. */
#define DOTS_LANES 8
#define DOTS_TAPS 64 /* the vector path's largest kernel window (r * s) */
static void floatDots(const QaLayer *l, const int64_t *idx, int n, const float *fa, const float *fw,
                      double *out) {
  int cg = l->c / l->groups, kg = l->k / l->groups, rs = l->r * l->s;
  int64_t hw = (int64_t)l->h * l->w, ab[DOTS_LANES], wb[DOTS_LANES];
  int y0[DOTS_LANES], x0[DOTS_LANES];
  double acc[DOTS_LANES];
  for (int i = 0; i < DOTS_LANES; i++) {
    Pos p = posOf(l, idx[i < n ? i : 0]);
    ab[i] = ((int64_t)p.n * l->c + (p.k / kg) * cg) * hw;
    wb[i] = (int64_t)p.k * cg * rs;
    y0[i] = p.oy * l->stride_h - l->pad_h;
    x0[i] = p.ox * l->stride_w - l->pad_w;
    acc[i] = 0;
  }
#ifdef __AVX512F__
  if (rs <= DOTS_TAPS) { /* gathered operands, exact double products, a masked add per lane */
    int64_t off[DOTS_TAPS][DOTS_LANES];
    __mmask8 in[DOTS_TAPS];
    for (int t = 0; t < rs; t++) { /* each tap's offsets; the padding (mask off) adds nothing */
      int r = t / l->s, s = t % l->s;
      in[t] = 0;
      for (int i = 0; i < DOTS_LANES; i++) {
        int y = y0[i] + r, x = x0[i] + s, ok = (unsigned)y < (unsigned)l->h && (unsigned)x < (unsigned)l->w;
        in[t] |= (__mmask8)(ok << i);
        off[t][i] = ab[i] + (ok ? (int64_t)y * l->w + x : 0);
      }
    }
    __m512d vacc = _mm512_setzero_pd();
    __m512i vwb = _mm512_loadu_si512(wb);
    for (int c = 0; c < cg; c++) {
      __m512i cha = _mm512_set1_epi64((int64_t)c * hw),
              chw = _mm512_add_epi64(vwb, _mm512_set1_epi64((int64_t)c * rs));
      for (int t = 0; t < rs; t++) {
        if (!in[t]) continue;
        __m512i va = _mm512_add_epi64(cha, _mm512_loadu_si512(off[t]));
        __m512i vw = _mm512_add_epi64(chw, _mm512_set1_epi64(t));
        __m256 a8 = _mm512_mask_i64gather_ps(_mm256_setzero_ps(), in[t], va, fa, 4);
        __m256 w8 = _mm512_mask_i64gather_ps(_mm256_setzero_ps(), in[t], vw, fw, 4);
        __m512d p = _mm512_mul_pd(_mm512_cvtps_pd(a8), _mm512_cvtps_pd(w8));
        vacc = _mm512_mask_add_pd(vacc, in[t], vacc, p);
      }
    }
    _mm512_storeu_pd(acc, vacc);
    for (int i = 0; i < n; i++) out[i] = acc[i];
    return;
  }
#endif
  for (int c = 0; c < cg; c++)
    for (int t = 0; t < rs; t++) {
      int r = t / l->s, s = t % l->s;
      for (int i = 0; i < DOTS_LANES; i++) {
        int y = y0[i] + r, x = x0[i] + s;
        if ((unsigned)y < (unsigned)l->h && (unsigned)x < (unsigned)l->w)
          acc[i] += (double)fa[ab[i] + c * hw + (int64_t)y * l->w + x] * fw[wb[i] + (int64_t)c * rs + t];
      }
    }
  for (int i = 0; i < n; i++) out[i] = acc[i];
}

/* The sample: output i = j * no / S for j < S. */
static int64_t sampleSize(const QaLayer *l) {
  int64_t no = qaLayerOutCount(l);
  return no < QA_VALUES_SAMPLE ? no : QA_VALUES_SAMPLE;
}
static int64_t sampleAt(const QaLayer *l, int64_t j) { return j * qaLayerOutCount(l) / sampleSize(l); }

int qaValuesOutputSqnr(const QaLayer *l, const QaLayerValues *v, const int64_t *out, double *sqnr_db,
                       int64_t *n_compared, QaErr *err) {
  int64_t no = qaLayerOutCount(l), plane = (int64_t)qaLayerOutH(l) * qaLayerOutW(l);
  double sig = 0, noise = 0;
  int64_t n = v->out ? no : sampleSize(l);
  int64_t idx[DOTS_LANES];
  double dots[DOTS_LANES];
  for (int64_t j0 = 0; j0 < n; j0 += DOTS_LANES) {
    int m = n - j0 < DOTS_LANES ? (int)(n - j0) : DOTS_LANES;
    for (int q = 0; q < m; q++) idx[q] = v->out ? j0 + q : sampleAt(l, j0 + q);
    if (v->sample_ref) /* streamed weights: computed window by window (qaValuesWindow) */
      memcpy(dots, v->sample_ref + j0, (size_t)m * sizeof *dots);
    else if (!v->out)
      floatDots(l, idx, m, v->fa, v->fw, dots);
    for (int q = 0; q < m; q++) {
      int64_t i = idx[q];
      int k = (int)((i / plane) % l->k);
      double b = v->bias ? v->bias[k] : 0.0;
      double y = (double)out[i] * v->a_scale * v->w_scale[k] + b;
      double ref = v->out ? v->out[i] : dots[q] + b;
      sig += ref * ref;
      noise += (y - ref) * (y - ref);
    }
  }
  *sqnr_db = sqnrDb(sig, noise);
  if (n_compared) *n_compared = n;
  return QA_OK;
}

int qaValuesProfile(const QaValuesSpec *spec, const QaLayer *l, QaLayerValues *v, double min_sqnr_db,
                    int *a_bits, QaErr *err) {
  int64_t na = qaLayerActCount(l), S = sampleSize(l);
  int32_t *codes = qaMalloc((size_t)na * sizeof *codes, err);
  double *y16 = qaMalloc((size_t)S * sizeof *y16, err);
  QaQuantResult qr;
  int rc = QA_OK, best = QA_BITS_MAX;
  memset(&qr, 0, sizeof qr);
  if (!codes || !y16) {
    rc = QA_EINTERNAL;
    goto end;
  }
  int pmin = v->qa.scheme == QA_Q_BINARY                               ? 1
             : (v->qa.scheme == QA_Q_UNSIGNED || v->qa.unsigned_codes) ? 1
                                                                       : 2;
  if (v->qa.scheme == QA_Q_NONE) { /* integer codes: their precision is the declared one */
    best = v->a_bits;
    goto end;
  }
  for (int p = QA_BITS_MAX; p >= pmin; p--) {
    if ((rc = qaQuantize(&v->qa, p, v->fa, na, 1, codes, &qr, err))) {
      qaErrPrefix(err, "profiling activations at %d bits", p);
      goto end;
    }
    double sig = 0, noise = 0;
    for (int64_t j = 0; j < S; j++) {
      Pos ps = posOf(l, sampleAt(l, j));
      double b = v->bias ? v->bias[ps.k] : 0.0;
      double y = dotAt(l, ps, codes, v->wgt, NULL, NULL) * qr.scales[0] * v->w_scale[ps.k] + b;
      if (p == QA_BITS_MAX) {
        y16[j] = y;
      } else {
        sig += y16[j] * y16[j];
        noise += (y - y16[j]) * (y - y16[j]);
      }
    }
    qaQuantResultFree(&qr);
    /* precisions are tried downwards; the first one below the target ends the search */
    if (p < QA_BITS_MAX && sqnrDb(sig, noise) < min_sqnr_db) break;
    best = p;
  }
end:
  qaQuantResultFree(&qr);
  free(codes);
  free(y16);
  if (rc) return rc;
  *a_bits = best;
  return best == v->a_bits ? QA_OK : qaValuesQuantize(spec, l, best, v->w_bits, v, err);
}

/* ---- streamed weights ------------------------------------------------------------------ */

void qaValuesBufFree(QaValuesBuf *b) {
  if (!b) return;
  free(b->fw);
  free(b->codes);
  memset(b, 0, sizeof *b);
}

int qaValuesStreamable(const QaValuesSpec *spec, const QaLayer *l) {
  QaQuantSpec qa, qw;
  int qa_auto;
  if (qaValuesQuantizers(spec, l, &qa, &qa_auto, &qw, NULL)) return 0;
  int traced_w = !spec->synthetic && (l->wgt_trace[0] || l->wgt_codes_trace[0]);
  return !traced_w && l->n == 1 && l->groups == 1 && qw.per_channel && qw.scheme != QA_Q_NONE;
}

int qaValuesLoadStreamed(const QaValuesSpec *spec, const QaLayer *l, int idx, QaValuesBuf *buf, int verify,
                         QaLayerValues *v, QaErr *err) {
  int64_t na = qaLayerActCount(l);
  int traced_a = !spec->synthetic && l->act_trace[0];
  int rc;
  memset(v, 0, sizeof *v);
  v->src = traced_a ? "trace" : "synthetic";
  v->streamed = 1;
  v->buf = buf;
  if (!qaValuesStreamable(spec, l))
    return qaErrSet(err, QA_EINTERNAL, "layer '%s' cannot stream its weights", l->name);
  if (traced_a) {
    if ((rc = qaTraceReadFloat(l, QA_TRACE_ACT, &v->fa, err))) return rc;
  } else {
    if (!(v->fa = qaMalloc((size_t)na * sizeof(float), err))) return QA_EINTERNAL;
    qaSynthActs(&spec->synth, l, idx, v->fa);
  }
  qaSynthWgtBegin(&spec->synth, l, idx, &v->wsyn);
  if (!spec->synthetic && l->bias_trace[0] && (rc = qaTraceReadFloat(l, QA_TRACE_BIAS, &v->bias, err)))
    return rc;
  v->sample_ref = qaMalloc((size_t)sampleSize(l) * sizeof *v->sample_ref, err);
  if (verify) v->ref = qaMalloc((size_t)qaLayerOutCount(l) * sizeof *v->ref, err);
  return !v->sample_ref || (verify && !v->ref) ? QA_EINTERNAL : QA_OK;
}

/* Grow *P to hold N values of SIZE bytes (the contents need not survive); *cap is N after. */
static int grow(void **p, int64_t *cap, int64_t n, size_t size, QaErr *err) {
  if (n <= *cap) return QA_OK;
  free(*p);
  *cap = 0;
  if (!(*p = qaMallocBig((size_t)n * size, err))) return QA_EINTERNAL;
  *cap = n;
  return QA_OK;
}

/* Values of a block: the weights of a window are made, quantized and accounted in blocks of
** whole filters that stay in the cache from one step to the next (at least DOTS_LANES
** filters, so the sample's float dots fill their lanes). */
#define WINDOW_BLOCK ((int64_t)1 << 17)

int qaValuesWindow(QaLayerValues *v, const QaLayer *l, int k0, int nk, const int32_t **codes, QaErr *err) {
  int64_t per = qaLayerWgtCount(l) / l->k, plane = (int64_t)qaLayerOutH(l) * qaLayerOutW(l);
  int64_t S = sampleSize(l), idx[DOTS_LANES];
  int nb = per ? (int)(WINDOW_BLOCK / per) : nk; /* filters per block */
  QaValuesBuf *b = v->buf;
  QaQuantResult qr;
  int rc;
  *codes = NULL;
  if (!v->streamed || k0 != v->next_k || nk < 1 || k0 + nk > l->k)
    return qaErrSet(err, QA_EINTERNAL, "layer '%s': weight window %d..%d out of order (next filter %d)",
                    l->name, k0, k0 + nk - 1, v->next_k);
  nb = nb < DOTS_LANES ? DOTS_LANES : nb;
  nb = nb > nk ? nk : nb;
  if ((rc = grow((void **)&b->codes, &b->cap, (int64_t)nk * per, sizeof *b->codes, err)) ||
      (rc = grow((void **)&b->fw, &b->fw_cap, (int64_t)nb * per, sizeof *b->fw, err)))
    return rc;
  QaLayer sub = *l; /* a block as a layer of its own (one image, one group) */
  for (int j0 = 0; j0 < nk; j0 += nb) {
    int kb = k0 + j0, n = nk - j0 < nb ? nk - j0 : nb;
    int64_t m = (int64_t)n * per, start = (int64_t)kb * plane, end = (int64_t)(kb + n) * plane;
    int32_t *cb = b->codes + (int64_t)j0 * per;
    qaSynthWgtNext(&v->wsyn, b->fw, m);
    if ((rc = qaQuantizePart(&v->qw, v->w_bits, b->fw, m, n, cb, &qr, &v->w_sig, &v->w_noise, err))) {
      qaErrPrefix(err, "weights (quantizer %s, %d bits)", v->quant_w, v->w_bits);
      return rc;
    }
    for (int j = 0; j < n; j++) v->w_scale[kb + j] = qr.scales[qr.n_channels > 1 ? j : 0];
    qaQuantResultFree(&qr);
    qaValueStatsAdd(cb, m, &v->wgt_stats);
    sub.k = n;
    if (v->ref) qaRefConv(&sub, v->act, cb, v->ref + start);
    while (v->next_sample < S && sampleAt(l, v->next_sample) < end) {
      int q = 0;
      for (; q < DOTS_LANES && v->next_sample + q < S; q++) {
        int64_t i = sampleAt(l, v->next_sample + q);
        if (i >= end) break;
        idx[q] = i - start;
      }
      floatDots(&sub, idx, q, v->fa, b->fw, v->sample_ref + v->next_sample);
      v->next_sample += q;
    }
  }
  v->next_k += nk;
  if (v->next_k == l->k) v->w_sqnr_db = qaQuantSqnrDb(v->w_sig, v->w_noise);
  *codes = b->codes;
  return QA_OK;
}
