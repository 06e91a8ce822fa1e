/*
** engine.c - packing of layers into bricks, packs and passes.
*/
#include "arch/engine.h"

#include <stdlib.h>
#include <string.h>

int qaEngineInit(QaEngine *e, const QaArchConfig *cfg, const QaLayerJob *job, int lanes, int rows,
                 QaErr *err) {
  const QaLayer *l = job->layer;
  memset(e, 0, sizeof *e);
  e->l = l;
  e->job = job;
  if (job->wsrc && l->n != 1)
    return qaErrSet(err, QA_EINTERNAL, "layer '%s': streamed weights need a batch of one image, not %d",
                    l->name, l->n);
  if (job->wsrc) { /* the kernels keep no config: the check's own copy */
    if (!(e->cfg = qaMalloc(sizeof *e->cfg, err))) return QA_EINTERNAL;
    *e->cfg = *cfg;
  }
  e->lanes = lanes;
  e->rows = rows;
  e->oh = qaLayerOutH(l);
  e->ow = qaLayerOutW(l);
  e->hp = qaLayerPaddedH(l);
  e->wp = qaLayerPaddedW(l);
  e->cg = l->c / l->groups;
  e->kg = l->k / l->groups;
  e->gpp = e->cg < lanes ? lanes / e->cg : 1;
  if (e->gpp > l->groups) e->gpp = l->groups;
  e->n_packs = (l->groups + e->gpp - 1) / e->gpp;
  e->cb = (e->gpp * e->cg + lanes - 1) / lanes;
  e->cpad = e->cb * lanes;
  e->cur_img = e->cur_pack = -1;
  e->a_store_bits = job->a_bits;
  e->w_store_bits = job->w_bits;
  e->o_store_bits = 16;

  int64_t n = 0;
  for (int p = 0; p < e->n_packs; p++) {
    int ng = l->groups - p * e->gpp < e->gpp ? l->groups - p * e->gpp : e->gpp;
    n += (ng * e->kg + rows - 1) / rows;
  }
  n *= l->n;
  e->n_chunk = n;
  e->chunks = qaMalloc((size_t)n * sizeof *e->chunks, err);
  e->act = qaMalloc((size_t)e->hp * e->wp * e->cpad * sizeof(int32_t), err);
  /* K x C x 1 x 1 weights already are K x 1 x 1 x cpad when cpad == C: no copy */
  int alias = l->groups == 1 && l->r == 1 && l->s == 1 && e->cpad == e->cg;
  int64_t cap = (int64_t)e->gpp * e->kg; /* filters held at once: a pack's, or a pass's */
  if (job->wsrc && cap > rows) cap = rows;
  if (alias && !job->wsrc) {
    e->wgt = job->wgt;
  } else { /* streamed: also the zeros of a failed window */
    e->wgt_buf = qaMalloc((size_t)cap * l->r * l->s * e->cpad * sizeof(int32_t), err);
    e->wgt = e->wgt_buf;
  }
  if (!e->chunks || !e->act || !e->wgt) {
    qaEngineFree(e);
    return QA_EINTERNAL;
  }
  int64_t i = 0;
  for (int img = 0; img < l->n; img++)
    for (int p = 0; p < e->n_packs; p++) {
      int ng = l->groups - p * e->gpp < e->gpp ? l->groups - p * e->gpp : e->gpp;
      int kf = ng * e->kg;
      for (int f0 = 0; f0 < kf; f0 += rows) {
        QaChunk *c = &e->chunks[i++];
        c->img = img;
        c->pack = p;
        c->f0 = f0;
        c->nf = kf - f0 < rows ? kf - f0 : rows;
      }
    }
  return QA_OK;
}

void qaEngineFree(QaEngine *e) {
  free(e->chunks);
  free(e->act);
  free(e->wgt_buf);
  free(e->cfg);
  e->cfg = NULL;
  e->chunks = NULL;
  e->act = NULL;
  e->wgt = e->wgt_buf = NULL;
}

/* Lay out filters [f0, f0 + nf) of the loaded pack from SRC (nf x cg x R x S, the job's
** layout) into wgt_buf: filter j of the pack belongs to group g0 + j / kg and sees only
** that group's lanes. */
static void packWeights(QaEngine *e, const int32_t *src, int f0, int nf) {
  const QaLayer *l = e->l;
  size_t per_f = (size_t)l->r * l->s * e->cpad;
  memset(e->wgt_buf, 0, (size_t)nf * per_f * sizeof(int32_t));
  for (int j = 0; j < nf; j++) {
    int gl = (f0 + j) / e->kg;
    const int32_t *fs = src + (int64_t)j * e->cg * l->r * l->s;
    int32_t *dst = e->wgt_buf + j * per_f;
    for (int ci = 0; ci < e->cg; ci++)
      for (int r = 0; r < l->r; r++)
        for (int s = 0; s < l->s; s++)
          dst[((size_t)r * l->s + s) * e->cpad + gl * e->cg + ci] = fs[((size_t)ci * l->r + r) * l->s + s];
  }
}

/* A streamed job: the weights of chunk c's pass from the source, checked. */
static void fetchWindow(QaEngine *e, const QaChunk *c) {
  const QaLayer *l = e->l;
  const QaArchDesc *d = e->cfg ? e->cfg->desc : NULL;
  int64_t per = (int64_t)e->cg * l->r * l->s, k = (int64_t)e->k0 + c->f0;
  const int32_t *w = NULL;
  e->wf0 = c->f0;
  e->wnf = c->nf;
  e->wgen++;
  if (!e->rc) {
    e->rc = e->job->wsrc->fetch(e->job->wsrc->ctx, (int)k, c->nf, &w, &e->err);
    if (!e->rc && d && d->check_wgt) e->rc = d->check_wgt(e->cfg, e->job, w, k * per, c->nf * per, &e->err);
  }
  if (e->rc) { /* the layer has failed: zeros, until the driver ends it */
    memset(e->wgt_buf, 0, (size_t)c->nf * l->r * l->s * e->cpad * sizeof(int32_t));
    e->wgt = e->wgt_buf;
  } else if (l->groups == 1 && l->r == 1 && l->s == 1 && e->cpad == e->cg) {
    e->wgt = w;
  } else {
    packWeights(e, w, c->f0, c->nf);
    e->wgt = e->wgt_buf;
  }
}

int qaEngineFailed(const QaEngine *e, QaErr *err) {
  if (e->rc && err) *err = e->err;
  return e->rc;
}

void qaEngineLoad(QaEngine *e, const QaChunk *c) {
  const QaLayer *l = e->l;
  int same = c->img == e->cur_img && c->pack == e->cur_pack;
  if (e->job->wsrc && (!same || c->f0 != e->wf0 || e->wgen == 0)) {
    e->k0 = c->pack * e->gpp * e->kg; /* (fetchWindow reads it) */
    fetchWindow(e, c);
  }
  if (same) return;
  int g0 = c->pack * e->gpp;
  int ng = l->groups - g0 < e->gpp ? l->groups - g0 : e->gpp;
  int cin = ng * e->cg;
  if (c->pack != e->cur_pack) {
    e->kf = ng * e->kg;
    e->k0 = g0 * e->kg;
    if (!e->job->wsrc) { /* the whole pack's weights */
      if (e->wgt_buf) packWeights(e, e->job->wgt + (int64_t)e->k0 * e->cg * l->r * l->s, 0, e->kf);
      e->wf0 = 0;
      e->wnf = e->kf;
      e->wgen++;
    }
  }
  /* activations: channels g0*cg .. g0*cg+cin-1 of image img, zero padded */
  memset(e->act, 0, (size_t)e->hp * e->wp * e->cpad * sizeof(int32_t));
  const int32_t *src = e->job->act + ((int64_t)c->img * l->c + (int64_t)g0 * e->cg) * l->h * l->w;
  for (int ci = 0; ci < cin; ci++)
    for (int y = 0; y < l->h; y++) {
      const int32_t *row = src + ((int64_t)ci * l->h + y) * l->w;
      int32_t *dst = e->act + ((int64_t)(y + l->pad_h) * e->wp + l->pad_w) * e->cpad + ci;
      for (int x = 0; x < l->w; x++) dst[(int64_t)x * e->cpad] = row[x];
    }
  e->cur_img = c->img;
  e->cur_pack = c->pack;
}

int qaEngineCheckActCodes(const QaArchConfig *cfg, const QaLayerJob *job, const char *what, QaErr *err) {
  int p = job->a_bits;
  if (p < 1 || p > QA_BITS_MAX)
    return qaErrSet(err, QA_EUSER, "layer '%s': %s supports 1..%d-bit activations, not %d", job->layer->name,
                    cfg->desc->name, QA_BITS_MAX, p);
  int64_t lo = job->a_signed ? -((int64_t)1 << (p - 1)) : 0;
  int64_t hi = job->a_signed ? ((int64_t)1 << (p - 1)) - 1 : ((int64_t)1 << p) - 1;
  int64_t n = qaLayerActCount(job->layer);
  int32_t mn = 0, mx = 0;
  for (int64_t i = 0; i < n; i++) {
    int32_t v = job->act[i];
    mn = v < mn ? v : mn;
    mx = v > mx ? v : mx;
  }
  if (mn >= lo && mx <= hi) return QA_OK;
  int64_t i = 0;
  while (i < n && job->act[i] >= lo && job->act[i] <= hi) i++;
  return qaErrSet(err, QA_EUSER,
                  "layer '%s': activation code %d (element %lld) does not fit %d-bit %s activations "
                  "(%lld..%lld); %s %s",
                  job->layer->name, (int)job->act[i], (long long)i, p, job->a_signed ? "signed" : "unsigned",
                  (long long)lo, (long long)hi, cfg->desc->name, what);
}

/* Dot product accumulated in 32 bits: exact when the caller proved |sum| < 2^31 (twice the
** vector width of the 64-bit one; unsigned wrap-around keeps the arithmetic defined). */
static inline int64_t dot32(const int32_t *QA_RESTRICT a, const int32_t *QA_RESTRICT w, int n) {
  uint32_t acc = 0;
  for (int j = 0; j < n; j++) acc += (uint32_t)a[j] * (uint32_t)w[j];
  return (int32_t)acc;
}

static int64_t maxAbs(const int32_t *v, int64_t n) {
  int64_t m = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t x = v[i] < 0 ? -(int64_t)v[i] : v[i];
    m = x > m ? x : m;
  }
  return m;
}

/* Four dot products sharing the activations (one load of a per four multiply-adds),
** 32-bit sums under the caller's bound (see dot32) or 64-bit ones. */
static inline void dot4_32(const int32_t *QA_RESTRICT a, const int32_t *const w[4], int n, int64_t out[4]) {
  const int32_t *QA_RESTRICT w0 = w[0], *QA_RESTRICT w1 = w[1], *QA_RESTRICT w2 = w[2],
                             *QA_RESTRICT w3 = w[3];
  uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int j = 0; j < n; j++) {
    uint32_t x = (uint32_t)a[j];
    s0 += x * (uint32_t)w0[j];
    s1 += x * (uint32_t)w1[j];
    s2 += x * (uint32_t)w2[j];
    s3 += x * (uint32_t)w3[j];
  }
  out[0] += (int32_t)s0;
  out[1] += (int32_t)s1;
  out[2] += (int32_t)s2;
  out[3] += (int32_t)s3;
}

static inline void dot4_64(const int32_t *QA_RESTRICT a, const int32_t *const w[4], int n, int64_t out[4]) {
  const int32_t *QA_RESTRICT w0 = w[0], *QA_RESTRICT w1 = w[1], *QA_RESTRICT w2 = w[2],
                             *QA_RESTRICT w3 = w[3];
  int64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int j = 0; j < n; j++) {
    int64_t x = a[j];
    s0 += x * w0[j];
    s1 += x * w1[j];
    s2 += x * w2[j];
    s3 += x * w3[j];
  }
  out[0] += s0;
  out[1] += s1;
  out[2] += s2;
  out[3] += s3;
}

#define WIN_TILE_BYTES (128 * 1024) /* activations of a tile of windows (second-level cache) */

/* Depthwise packs (one channel and one filter per group): filter f of the pack sees lane f
** only, so the pass's nf outputs of a window are a lane-wise multiply-add of the window's
** activation bricks with each tap's "diagonal" weights (filter f0 + j's weight in lane f0 + j),
** nf lanes at once, instead of nf one-lane dot products per tap. */
static void depthwisePass(const QaEngine *e, const QaChunk *c, int acc_bits, int64_t *overflows, int use32) {
  const QaLayer *l = e->l;
  int nf = c->nf, f0 = c->f0, taps = l->r * l->s, cpad = e->cpad;
  int32_t *wd = malloc((size_t)taps * nf * sizeof *wd);
  int64_t *acc = malloc((size_t)nf * sizeof *acc);
  int32_t *acc32 = malloc((size_t)nf * sizeof *acc32);
  if (!wd || !acc || !acc32) { /* out of memory: one lane at a time, the same sums */
    free(wd);
    free(acc);
    free(acc32);
    for (int oy = 0; oy < e->oh; oy++)
      for (int ox = 0; ox < e->ow; ox++)
        for (int f = f0; f < f0 + nf; f++) {
          int64_t sum = 0;
          for (int r = 0; r < l->r; r++)
            for (int s = 0; s < l->s; s++)
              sum +=
                  (int64_t)qaEngineActRow(e, oy, ox, r)[s * cpad + f] * qaEngineWgtRow(e, f, r)[s * cpad + f];
          qaEnginePut(e, acc_bits, overflows, c->img, f, oy, ox, sum);
        }
    return;
  }
  for (int r = 0; r < l->r; r++)
    for (int s = 0; s < l->s; s++)
      for (int j = 0; j < nf; j++)
        wd[(r * l->s + s) * nf + j] = qaEngineWgtRow(e, f0 + j, r)[s * cpad + f0 + j];
  for (int oy = 0; oy < e->oh; oy++)
    for (int ox = 0; ox < e->ow; ox++) {
      if (use32) { /* exact: the layer's bound is below 2^31 */
        for (int j = 0; j < nf; j++) acc32[j] = 0;
        for (int r = 0; r < l->r; r++) {
          const int32_t *a = qaEngineActRow(e, oy, ox, r) + f0;
          for (int s = 0; s < l->s; s++) {
            const int32_t *as = a + s * cpad, *ws = wd + (r * l->s + s) * nf;
            for (int j = 0; j < nf; j++) acc32[j] += as[j] * ws[j];
          }
        }
        for (int j = 0; j < nf; j++) acc[j] = acc32[j];
      } else {
        for (int j = 0; j < nf; j++) acc[j] = 0;
        for (int r = 0; r < l->r; r++) {
          const int32_t *a = qaEngineActRow(e, oy, ox, r) + f0;
          for (int s = 0; s < l->s; s++) {
            const int32_t *as = a + s * cpad, *ws = wd + (r * l->s + s) * nf;
            for (int j = 0; j < nf; j++) acc[j] += (int64_t)as[j] * ws[j];
          }
        }
      }
      for (int j = 0; j < nf; j++) qaEnginePut(e, acc_bits, overflows, c->img, f0 + j, oy, ox, acc[j]);
    }
  free(wd);
  free(acc);
  free(acc32);
}

void qaEnginePassDots(const QaEngine *e, const QaChunk *c, int acc_bits, int64_t *overflows) {
  const QaLayer *l = e->l;
  int span = l->s * e->cpad, cg = e->cg;
  /* every partial sum is bounded by max|a| x max|w| x R x S x (C/groups): 32-bit sums are
  ** exact below 2^31 */
  int64_t wmax = 0;
  for (int f = c->f0; f < c->f0 + c->nf; f++)
    for (int r = 0; r < l->r; r++) {
      int64_t m = maxAbs(qaEngineWgtRow(e, f, r), span);
      wmax = m > wmax ? m : wmax;
    }
  double bound = (double)maxAbs(e->act, (int64_t)e->hp * e->wp * e->cpad) * (double)wmax * l->r * l->s * cg;
  int use32 = bound < 2147483647.0;
  if (e->gpp > 1 && cg == 1 && e->kg == 1) {
    depthwisePass(e, c, acc_bits, overflows, use32);
    return;
  }
  /* a whole brick row is one dot product when every lane belongs to the filter's group */
  int whole = e->gpp == 1 && cg == e->cpad;
  if (whole) {
    /* windows in tiles, and in a tile filters four at a time over every window: a block's
    ** weights stay in the first-level cache while the tile's activations stream past (a late
    ** layer's pass holds megabytes of weights, which a window-by-window order rereads for
    ** every window) */
    int64_t nwin = (int64_t)e->oh * e->ow, wt = WIN_TILE_BYTES / ((int64_t)span * l->r * 4);
    wt = wt < 1 ? 1 : wt;
    for (int64_t w0 = 0; w0 < nwin; w0 += wt) {
      int64_t w1 = w0 + wt < nwin ? w0 + wt : nwin;
      for (int f = c->f0; f < c->f0 + c->nf; f += 4) {
        int nq = c->f0 + c->nf - f < 4 ? c->f0 + c->nf - f : 4;
        for (int64_t win = w0; win < w1; win++) {
          int oy = (int)(win / e->ow), ox = (int)(win % e->ow);
          int64_t acc[4] = {0, 0, 0, 0};
          for (int r = 0; r < l->r; r++) {
            const int32_t *a = qaEngineActRow(e, oy, ox, r);
            if (nq == 4) {
              const int32_t *w[4] = {qaEngineWgtRow(e, f, r), qaEngineWgtRow(e, f + 1, r),
                                     qaEngineWgtRow(e, f + 2, r), qaEngineWgtRow(e, f + 3, r)};
              if (use32)
                dot4_32(a, w, span, acc);
              else
                dot4_64(a, w, span, acc);
            } else {
              for (int q = 0; q < nq; q++) {
                const int32_t *w = qaEngineWgtRow(e, f + q, r);
                acc[q] += use32 ? dot32(a, w, span) : qaEngineDot(a, w, span);
              }
            }
          }
          for (int q = 0; q < nq; q++) qaEnginePut(e, acc_bits, overflows, c->img, f + q, oy, ox, acc[q]);
        }
      }
    }
    return;
  }
  for (int oy = 0; oy < e->oh; oy++)
    for (int ox = 0; ox < e->ow; ox++)
      for (int f = c->f0; f < c->f0 + c->nf; f++) {
        /* only the filter's own group's channels can be non-zero */
        int lo = e->gpp > 1 ? (f / e->kg) * cg : 0;
        int64_t acc = 0;
        for (int r = 0; r < l->r; r++) {
          const int32_t *a = qaEngineActRow(e, oy, ox, r), *w = qaEngineWgtRow(e, f, r);
          if (lo == 0 && cg == e->cpad)
            acc += use32 ? dot32(a, w, span) : qaEngineDot(a, w, span);
          else
            for (int s = 0; s < l->s; s++) {
              const int32_t *as = a + s * e->cpad + lo, *ws = w + s * e->cpad + lo;
              acc += use32 ? dot32(as, ws, cg) : qaEngineDot(as, ws, cg);
            }
        }
        qaEnginePut(e, acc_bits, overflows, c->img, f, oy, ox, acc);
      }
}

void qaEngineCountBuffers(QaLayerStats *st, int64_t act_bits, int64_t tiles_active, int64_t sb_bits,
                          int64_t out_bits) {
  qaCount(st, QA_C_NM, QA_ACT_READ_BITS, act_bits);
  qaCount(st, QA_C_NBIN, QA_ACT_WRITE_BITS, act_bits * tiles_active);
  qaCount(st, QA_C_NBIN, QA_ACT_READ_BITS, act_bits * tiles_active);
  qaCount(st, QA_C_SB, QA_ACT_READ_BITS, sb_bits);
  qaCount(st, QA_C_NBOUT, QA_ACT_WRITE_BITS, out_bits);
  qaCount(st, QA_C_NM, QA_ACT_WRITE_BITS, out_bits);
}

int64_t qaFcMuxCycles(const int64_t *cost, int64_t n, int cols, int64_t *col_end) {
  int64_t t = 0, last = 0;
  for (int c = 0; c < cols; c++) col_end[c] = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t *end = &col_end[i % cols];
    if (t < *end) t = *end;
    *end = t + cost[i];
    if (*end > last) last = *end;
    t++;
  }
  return last;
}

int64_t qaFcMuxCyclesUniform(int64_t n, int cols, int64_t cost) {
  /* column c's bricks start every max(cols, cost) cycles after its first at cycle c
  ** (while cols >= cost the starts are one per cycle); the last brick ends last */
  if (n <= 0) return 0;
  int64_t period = cols > cost ? cols : cost; /* cycles between two bricks of one column */
  int64_t i = n - 1, round = i / cols, c = i % cols;
  return round * period + c + cost;
}
