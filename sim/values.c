/*
** values.c - a layer's operands: load, quantize, and the quality of the output (see values.h).
*/
#include "sim/values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- the process's synthetic values ---------------------------------------------------
** qaSynthLayer's values depend on the synthetic spec, the layer's index and its geometry
** only: an entry matching all of them holds exactly the values the layer would make. */
typedef struct CacheEntry {
  QaSynthSpec synth;
  int idx, n, c, h, w, k, r, s, groups;
  float *fa, *fw;
} CacheEntry;
static CacheEntry *g_cache;
static int g_cache_n, g_cache_cap;
static int64_t g_cache_bytes, g_cache_hits;

static int cacheMatches(const CacheEntry *e, const QaSynthSpec *synth, const QaLayer *l, int idx) {
  return e->synth.seed == synth->seed && e->synth.wgt_dist == synth->wgt_dist &&
         !memcmp(&e->synth.act_zero_frac, &synth->act_zero_frac, sizeof synth->act_zero_frac) &&
         e->idx == idx && e->n == l->n && e->c == l->c && e->h == l->h && e->w == l->w && e->k == l->k &&
         e->r == l->r && e->s == l->s && e->groups == l->groups;
}

static const CacheEntry *cacheFind(const QaSynthSpec *synth, const QaLayer *l, int idx) {
  for (int i = 0; i < g_cache_n; i++)
    if (cacheMatches(&g_cache[i], synth, l, idx)) return &g_cache[i];
  return NULL;
}

int qaValuesCacheAdd(const QaSynthSpec *synth, const QaLayer *l, int idx, int64_t max_bytes, QaErr *err) {
  int64_t bytes = (qaLayerActCount(l) + qaLayerWgtCount(l)) * (int64_t)sizeof(float);
  if (cacheFind(synth, l, idx) || g_cache_bytes + bytes > max_bytes) return QA_OK;
  if (g_cache_n == g_cache_cap) {
    int cap = g_cache_cap ? 2 * g_cache_cap : 64;
    CacheEntry *grown = realloc(g_cache, (size_t)cap * sizeof *grown);
    if (!grown) return qaErrSet(err, QA_EINTERNAL, "out of memory");
    g_cache = grown;
    g_cache_cap = cap;
  }
  CacheEntry e = {*synth, idx, l->n, l->c, l->h, l->w, l->k, l->r, l->s, l->groups, NULL, NULL};
  e.fa = qaMalloc((size_t)qaLayerActCount(l) * sizeof(float), err);
  e.fw = qaMalloc((size_t)qaLayerWgtCount(l) * sizeof(float), err);
  if (!e.fa || !e.fw) {
    free(e.fa);
    free(e.fw);
    return QA_EINTERNAL;
  }
  qaSynthLayer(synth, l, idx, e.fa, e.fw);
  g_cache[g_cache_n++] = e;
  g_cache_bytes += bytes;
  return QA_OK;
}

void qaValuesCacheClear(void) {
  for (int i = 0; i < g_cache_n; i++) {
    free(g_cache[i].fa);
    free(g_cache[i].fw);
  }
  free(g_cache);
  g_cache = NULL;
  g_cache_n = g_cache_cap = 0;
  g_cache_bytes = 0;
}

int64_t qaValuesCacheBytes(void) { return g_cache_bytes; }
int64_t qaValuesCacheHits(void) { return __atomic_load_n(&g_cache_hits, __ATOMIC_RELAXED); }

void qaValuesFree(QaLayerValues *v) {
  if (!v) return;
  if (!v->borrowed) {
    free(v->fa);
    free(v->fw);
  }
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
  const CacheEntry *hit = !traced_a && !traced_w && (spec->synthetic || !l->wgt_codes_trace[0])
                              ? cacheFind(&spec->synth, l, idx)
                              : NULL;
  if (hit) { /* read only: the float values are never written after they are made */
    v->fa = hit->fa;
    v->fw = hit->fw;
    v->borrowed = 1;
    __atomic_fetch_add(&g_cache_hits, 1, __ATOMIC_RELAXED);
  } else if (!traced_a || !traced_w) {
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
** whole filters that stay in the cache from one step to the next. */
#define WINDOW_BLOCK ((int64_t)1 << 17)

/* A streamed layer's per-tensor weight quantizer needs the largest of all NW weights before
** the first window: a first pass over a copy of the weights' stream, block by block (the
** windows then draw the same values again). Per-channel quantizers need none (clip -1). */
static int streamClip(QaLayerValues *v, int64_t nw, QaErr *err) {
  int rc;
  memset(&v->w_sums, 0, sizeof v->w_sums);
  v->w_clip = -1.0;
  if (v->qw.per_channel) return QA_OK;
  if (!qaQuantStreamable(&v->qw))
    return qaErrSet(err, QA_EINTERNAL, "weight quantizer %s cannot stream", v->quant_w);
  int64_t nb = nw < WINDOW_BLOCK ? nw : WINDOW_BLOCK;
  if ((rc = grow((void **)&v->buf->fw, &v->buf->fw_cap, nb, sizeof *v->buf->fw, err))) return rc;
  QaSynthWgt pass = v->wsyn;
  double clip = 0;
  for (int64_t i = 0; i < nw; i += nb) {
    int64_t m = nw - i < nb ? nw - i : nb;
    qaSynthWgtNext(&pass, v->buf->fw, m);
    double c = qaQuantClip(&v->qw, v->buf->fw, m);
    clip = c > clip ? c : clip;
  }
  v->w_clip = clip;
  return QA_OK;
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
    return rc ? rc : streamClip(v, nw, err);
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
    v->w_sqnr_db = qaQuantSqnrDb(sig, noise);
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

/* The integer dot product of one output of codes A, W. */
static int64_t dotAt(const QaLayer *l, Pos p, const int32_t *a, const int32_t *w) {
  int cg = l->c / l->groups, kg = l->k / l->groups, c0 = (p.k / kg) * cg;
  int64_t acc = 0;
  for (int c = 0; c < cg; c++)
    for (int r = 0; r < l->r; r++) {
      int y = p.oy * l->stride_h - l->pad_h + r;
      if (y < 0 || y >= l->h) continue;
      for (int s = 0; s < l->s; s++) {
        int x = p.ox * l->stride_w - l->pad_w + s;
        if (x < 0 || x >= l->w) continue;
        int64_t ai = (((int64_t)p.n * l->c + c0 + c) * l->h + y) * l->w + x;
        int64_t wi = (((int64_t)p.k * cg + c) * l->r + r) * l->s + s;
        acc += (int64_t)a[ai] * w[wi];
      }
    }
  return acc;
}

/* The sample: output i = j * no / S for j < S. */
static int64_t sampleSize(const QaLayer *l) {
  int64_t no = qaLayerOutCount(l);
  return no < QA_VALUES_SAMPLE ? no : QA_VALUES_SAMPLE;
}
static int64_t sampleAt(const QaLayer *l, int64_t j) { return j * qaLayerOutCount(l) / sampleSize(l); }

/* The input patch of output position P (image, group of filter k, window): the activations
** a filter of that group multiplies, in the weights' order (c, r, s), 0 in the padding. */
static void gatherPatch(const QaLayer *l, Pos p, const float *fa, double *patch) {
  int cg = l->c / l->groups, kg = l->k / l->groups, c0 = (p.k / kg) * cg;
  int y0 = p.oy * l->stride_h - l->pad_h, x0 = p.ox * l->stride_w - l->pad_w;
  for (int c = 0; c < cg; c++) {
    const float *plane = fa + ((int64_t)p.n * l->c + c0 + c) * l->h * l->w;
    for (int r = 0; r < l->r; r++) {
      int y = y0 + r;
      for (int s = 0; s < l->s; s++) {
        int x = x0 + s;
        *patch++ =
            (unsigned)y < (unsigned)l->h && (unsigned)x < (unsigned)l->w ? plane[(int64_t)y * l->w + x] : 0.0;
      }
    }
  }
}

/* sum patch[t] * w[t] over N taps: the float products are exact in double; eight
** independent partial sums (which the compiler keeps in one vector register) added in a
** fixed order, so the result does not depend on the machine. */
static double patchDot(const double *patch, const float *w, int64_t n) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t t = 0;
  for (; t + 8 <= n; t += 8)
    for (int q = 0; q < 8; q++) acc[q] += patch[t + q] * (double)w[t + q];
  for (int q = 0; t < n; t++, q++) acc[q] += patch[t] * (double)w[t];
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

/* The positions of the sample's outputs, in sample order: i = j * no / S advanced by its
** quotient and remainder, the position by carries (a division only when a carry wraps). */
typedef struct Sample {
  int64_t i;
  Pos p;
} Sample;
static void samplePositions(const QaLayer *l, int64_t S, Sample *sp) {
  int64_t no = qaLayerOutCount(l), step = no / S, rstep = no % S, rem = 0, i = 0;
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l);
  Pos p = {0, 0, 0, 0};
  for (int64_t j = 0; j < S; j++) {
    sp[j].i = i;
    sp[j].p = p;
    int64_t d = step;
    rem += rstep;
    if (rem >= S) {
      rem -= S;
      d++;
    }
    i += d;
    int64_t x = p.ox + d;
    if (x < ow) {
      p.ox = (int)x;
      continue;
    }
    int64_t y = p.oy + x / ow;
    p.ox = (int)(x % ow);
    if (y < oh) {
      p.oy = (int)y;
      continue;
    }
    int64_t k = p.k + y / oh;
    p.oy = (int)(y % oh);
    p.n += (int)(k / l->k);
    p.k = (int)(k % l->k);
  }
}

/* The float output of the sampled outputs (*ref[j] for sample j at SP[j]), as an im2col
** product: each distinct input patch (image, group, window) is gathered once and multiplied
** with the contiguous weights of every sampled filter that reads it. When the sample has at
** least a quarter as many outputs as there are patches, the samples are bucketed by patch
** (counting sort), so a late layer's few windows are gathered once for hundreds of filters. */
static int floatRefs(const QaLayer *l, const Sample *sp, int64_t S, const float *fa, const float *fw,
                     double *ref, QaErr *err) {
  int64_t taps = (int64_t)(l->c / l->groups) * l->r * l->s;
  int64_t ow = qaLayerOutW(l), win = (int64_t)qaLayerOutH(l) * ow, kg = l->k / l->groups;
  int64_t n_keys = (int64_t)l->n * l->groups * win;
  int bucket = n_keys <= 4 * S;
  double *patch = qaMalloc((size_t)taps * sizeof *patch, err);
  int64_t *order = bucket ? qaMalloc((size_t)S * sizeof *order, err) : NULL;
  int64_t *first = bucket ? qaCalloc((size_t)n_keys + 1, sizeof *first, err) : NULL;
  int64_t *keys = qaMalloc((size_t)S * sizeof *keys, err);
  if (!patch || !keys || (bucket && (!order || !first))) {
    free(patch);
    free(order);
    free(first);
    free(keys);
    return QA_EINTERNAL;
  }
  for (int64_t j = 0; j < S; j++) {
    Pos p = sp[j].p;
    keys[j] = ((int64_t)p.n * l->groups + p.k / kg) * win + (int64_t)p.oy * ow + p.ox;
  }
  if (bucket) {
    for (int64_t j = 0; j < S; j++) first[keys[j] + 1]++;
    for (int64_t k = 0; k < n_keys; k++) first[k + 1] += first[k];
    for (int64_t j = 0; j < S; j++) order[first[keys[j]]++] = j; /* first[k] ends at bucket k's end */
  }
  int64_t last_key = -1;
  for (int64_t q = 0; q < S; q++) {
    int64_t j = bucket ? order[q] : q;
    if (keys[j] != last_key) gatherPatch(l, sp[j].p, fa, patch);
    last_key = keys[j];
    ref[j] = patchDot(patch, fw + (int64_t)sp[j].p.k * taps, taps);
  }
  free(patch);
  free(order);
  free(first);
  free(keys);
  return QA_OK;
}

int qaValuesOutputSqnr(const QaLayer *l, const QaLayerValues *v, const int64_t *out, double *sqnr_db,
                       int64_t *n_compared, QaErr *err) {
  int64_t no = qaLayerOutCount(l), plane = (int64_t)qaLayerOutH(l) * qaLayerOutW(l);
  double sig = 0, noise = 0;
  if (v->out) { /* the traced float output: every element */
    for (int64_t i = 0; i < no; i++) {
      int k = (int)((i / plane) % l->k);
      double y = (double)out[i] * v->a_scale * v->w_scale[k] + (v->bias ? v->bias[k] : 0.0);
      double ref = v->out[i];
      sig += ref * ref;
      noise += (y - ref) * (y - ref);
    }
    *sqnr_db = qaQuantSqnrDb(sig, noise);
    if (n_compared) *n_compared = no;
    return QA_OK;
  }
  int64_t S = sampleSize(l);
  Sample *sp = qaMalloc((size_t)S * sizeof *sp, err);
  /* streamed weights: the float dots were made window by window (qaValuesWindow) */
  double *refs = v->sample_ref ? NULL : qaMalloc((size_t)S * sizeof *refs, err);
  const double *dots = v->sample_ref ? v->sample_ref : refs;
  int rc = sp && dots ? QA_OK : QA_EINTERNAL;
  if (!rc) {
    samplePositions(l, S, sp);
    if (refs) rc = floatRefs(l, sp, S, v->fa, v->fw, refs, err);
  }
  for (int64_t j = 0; !rc && j < S; j++) {
    int k = sp[j].p.k;
    double b = v->bias ? v->bias[k] : 0.0;
    double y = (double)out[sp[j].i] * v->a_scale * v->w_scale[k] + b, ref = dots[j] + b;
    sig += ref * ref;
    noise += (y - ref) * (y - ref);
  }
  free(sp);
  free(refs);
  if (rc) return rc;
  *sqnr_db = qaQuantSqnrDb(sig, noise);
  if (n_compared) *n_compared = S;
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
      double y = (double)dotAt(l, ps, codes, v->wgt) * qr.scales[0] * v->w_scale[ps.k] + b;
      if (p == QA_BITS_MAX) {
        y16[j] = y;
      } else {
        sig += y16[j] * y16[j];
        noise += (y - y16[j]) * (y - y16[j]);
      }
    }
    qaQuantResultFree(&qr);
    /* precisions are tried downwards; the first one below the target ends the search */
    if (p < QA_BITS_MAX && qaQuantSqnrDb(sig, noise) < min_sqnr_db) break;
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
  return !traced_w && l->n == 1 && l->groups == 1 && qw.scheme != QA_Q_NONE && qaQuantStreamable(&qw);
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

int qaValuesWindow(QaLayerValues *v, const QaLayer *l, int k0, int nk, const int32_t **codes, QaErr *err) {
  int64_t per = qaLayerWgtCount(l) / l->k, plane = (int64_t)qaLayerOutH(l) * qaLayerOutW(l);
  int64_t S = sampleSize(l);
  int nb = per ? (int)(WINDOW_BLOCK / per) : nk; /* filters per block */
  QaValuesBuf *b = v->buf;
  QaQuantResult qr;
  int rc;
  *codes = NULL;
  if (!v->streamed || k0 != v->next_k || nk < 1 || k0 + nk > l->k)
    return qaErrSet(err, QA_EINTERNAL, "layer '%s': weight window %d..%d out of order (next filter %d)",
                    l->name, k0, k0 + nk - 1, v->next_k);
  nb = nb < 1 ? 1 : nb > nk ? nk : nb;
  if ((rc = grow((void **)&b->codes, &b->cap, (int64_t)nk * per, sizeof *b->codes, err)) ||
      (rc = grow((void **)&b->fw, &b->fw_cap, (int64_t)nb * per, sizeof *b->fw, err)))
    return rc;
  /* the positions of a block's samples (at most the samples not made yet) */
  Sample *sp = S > v->next_sample ? qaMalloc((size_t)(S - v->next_sample) * sizeof *sp, err) : NULL;
  if (S > v->next_sample && !sp) return QA_EINTERNAL;
  QaLayer sub = *l; /* a block as a layer of its own (one image, one group) */
  for (int j0 = 0; !rc && j0 < nk; j0 += nb) {
    int kb = k0 + j0, n = nk - j0 < nb ? nk - j0 : nb;
    int64_t m = (int64_t)n * per, start = (int64_t)kb * plane, end = (int64_t)(kb + n) * plane;
    int32_t *cb = b->codes + (int64_t)j0 * per;
    qaSynthWgtNext(&v->wsyn, b->fw, m);
    if ((rc = qaQuantizePart(&v->qw, v->w_bits, b->fw, m, n, v->w_clip, cb, &qr, &v->w_sums, err))) {
      qaErrPrefix(err, "weights (quantizer %s, %d bits)", v->quant_w, v->w_bits);
      break;
    }
    for (int j = 0; j < n; j++) v->w_scale[kb + j] = qr.scales[qr.n_channels > 1 ? j : 0];
    qaQuantResultFree(&qr);
    qaValueStatsAdd(cb, m, &v->wgt_stats);
    sub.k = n;
    if (v->ref) qaRefConv(&sub, v->act, cb, v->ref + start);
    int64_t q = 0;
    for (; v->next_sample + q < S && sampleAt(l, v->next_sample + q) < end; q++) {
      sp[q].i = sampleAt(l, v->next_sample + q) - start;
      sp[q].p = posOf(&sub, sp[q].i);
    }
    if (q) rc = floatRefs(&sub, sp, q, v->fa, b->fw, v->sample_ref + v->next_sample, err);
    v->next_sample += q;
  }
  free(sp);
  if (rc) return rc;
  v->next_k += nk;
  if (v->next_k == l->k) v->w_sqnr_db = qaQuantSumsDb(&v->w_sums);
  *codes = b->codes;
  return QA_OK;
}
