/*
** onehot.c - one-hot and k-hot networks (Li, Wang, Liu, Leng, Cheng, DATE 2020) on two
** kinds of PE:
**
** onehot-dadiannao: the DaDianNao geometry (tiles x filters_per_tile PE rows sharing
**   one activation brick of `lanes` channels per cycle) whose multipliers are replaced
**   by exponent adders: every activation and weight code is 0 or +-2^k, so a lane's
**   product is +-2^(e_a + e_w); a decoder turns e_a + e_w into a one-hot position, the
**   PE counts the hits per position across its lanes (histogram), shifts each count by
**   its position and reduces with an adder tree. One cycle per brick step, exactly
**   like DaDianNao. Codes with more than one term are rejected (quantize with pow2).
**   The term of a one-hot code is the code itself, whatever the encoder.
**   Loosely timed, for one-hot codes the histogram reduced over positions equals the
**   dot product of the brick, which LT computes directly; the clocked tick runs the
**   exponent adders and the histogram literally. Codes are stored as DATE 2020 does
**   ("8 bit -> 3+1 bit"): an exponent field naming a bit position or zero, and a sign
**   bit for signed operands (qaKHotStoreBits with k = 1).
**   Actions per brick step: exp_adder op (a, w: exponent bits) and onehot_decoder op
**   (a: positions) in every lane of every active row; histogram op (a: positions,
**   w: counter bits), adder_tree op (a: input width, w: inputs) and acc op per active
**   row; memories as dadiannao.c at the one-hot storage widths.
**
** khot-laconic: the Laconic PE array of laconic.c on k-hot codes (at most k_a terms
**   per activation and k_w per weight with the job's encoder; NAF by default, which
**   gives a k-hot code exactly its k terms): a lane costs at most k_a x k_w cycles.
**   Same parameters, cycle and sync rules as laconic, plus k_a and k_w, which are
**   checked against the data.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/laconicInt.h"

#define HIST_N 34 /* exponent sums 0..32 of two one-hot 16-bit codes */

/* ---- onehot-dadiannao ------------------------------------------------------------ */

typedef struct QaOneHotSpec {
  QaArchSpec base; /* rows: filters per tile */
  int max_bits;    /* widest one-hot code the exponent adders accept (bits) */
} QaOneHotSpec;

static const QaParam ohd_params[] = {
    QA_P_TILES(16, "tiles working in lock-step on one activation brick (as DaDianNao)"),
    QA_P_ROWS(16, "PE rows per tile, one filter each"),
    QA_P_LANES(16, "activation/weight pairs per PE per cycle (brick width)"),
    {"max_bits", QA_PT_INT, 1, 16, 16, "bits", "widest one-hot code the exponent adders accept",
     offsetof(QaOneHotSpec, max_bits), NULL, QA_PF_SIZED_BY_BITS},
    QA_P_ACC_BITS(48, "accumulator width (48 keeps 16-bit dot products exact)"),
    QA_P_CLOCK(606, "clock frequency (DaDianNao's 606 MHz at 28 nm)"),
    QA_P_RESHAPE,
    QA_ONCHIP_PARAMS,
    QA_DRAM_PARAMS,
};

enum {
  OHD_EXP_ADDER = QA_C_COMMON,
  OHD_DECODER,
  OHD_HISTOGRAM,
  OHD_ADDER_TREE,
  OHD_ACC,
  OHD_WREG,
  OHD_PREG,
  OHD_AREG,
  OHD_N
};

static const QaComponentDef ohd_comps[OHD_N] = {
    QA_MEM_COMPONENTS,
    [OHD_EXP_ADDER] = {"exp_adder", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_EXP_ADDER,
                       "per lane: adds the activation and weight exponents"},
    [OHD_DECODER] = {"onehot_decoder", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_DECODER,
                     "per lane: the exponent sum as a one-hot position"},
    [OHD_HISTOGRAM] = {"histogram", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_HISTOGRAM,
                       "counts the lanes' +1/-1 hits per position"},
    [OHD_ADDER_TREE] = {"adder_tree", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_ADDER_TREE,
                        "reduces the counts, each shifted by its position (wiring)"},
    [OHD_ACC] = {"acc", QA_CAT_ACCUMULATION, QA_SCOPE_PE, QA_PRIM_ACCUMULATOR,
                 "accumulates the reduced sum into the output"},
    [OHD_WREG] = {"wreg", QA_CAT_REGISTERS, QA_SCOPE_PE, QA_PRIM_REG,
                  "the PE's lanes weight codes (exponent + sign) from the SB row, latched every cycle"},
    [OHD_PREG] = {"preg", QA_CAT_REGISTERS, QA_SCOPE_PE, QA_PRIM_REG,
                  "pipeline register of the lanes' signed exponent sums before the histogram"},
    [OHD_AREG] = {"areg", QA_CAT_REGISTERS, QA_SCOPE_TILE, QA_PRIM_REG,
                  "the activation brick's codes from NBin, latched every cycle and broadcast to the tile"},
};

/* A PE row: per lane an exponent adder and a one-hot decoder onto a + w - 1 positions; a
** histogram, an adder tree over the positions and the accumulator (the shift by
** position is in the tree's wiring: no shifter), and DaDianNao's registers at the one-hot
** widths (the lanes weight codes, the lanes signed exponent sums before the histogram; per
** tile the activation brick's codes). Codes are stored as exponent + sign
** (qaKHotStoreBits(max_bits, signed, 1): 3 + 1 bits at 8 bits) in memories built for
** max_bits codes. */
static void ohd_inventory(const QaArchConfig *cfg, int a_bits, int w_bits, QaInventory *inv) {
  const QaOneHotSpec *p = QA_SPEC(cfg, QaOneHotSpec);
  const QaArchSpec *s = &p->base;
  int positions = a_bits + w_bits - 1, counter = qaBitsFor(s->lanes) + 1;
  int code = qaKHotStoreBits(p->max_bits, 1, 1);
  int ea = qaBitsFor(a_bits - 1), ew = qaBitsFor(w_bits - 1);
  inv->tiles = s->tiles;
  inv->pes_per_tile = s->rows;
  inv->n_comp = OHD_N;
  qaMemInventory(s, s->rows * s->lanes * code, s->lanes * code, s->rows * code, inv);
  inv->comp[OHD_EXP_ADDER] = (QaComponent){.count = s->lanes, .bits_a = ea > ew ? ea : ew};
  inv->comp[OHD_DECODER] = (QaComponent){.count = s->lanes, .n = positions};
  inv->comp[OHD_HISTOGRAM] = (QaComponent){.count = 1, .bits_a = counter, .n = positions};
  inv->comp[OHD_ADDER_TREE] = (QaComponent){.count = 1, .bits_a = counter + positions, .n = positions};
  inv->comp[OHD_ACC] = (QaComponent){.count = 1, .bits_a = s->acc_bits};
  inv->comp[OHD_WREG] = (QaComponent){.count = 1, .bits_a = s->lanes * code};
  inv->comp[OHD_PREG] = (QaComponent){.count = 1, .bits_a = s->lanes * (qaBitsFor(positions) + 1)};
  inv->comp[OHD_AREG] = (QaComponent){.count = 1, .bits_a = s->lanes * code};
}

static int ohd_hw_bits(const QaArchConfig *cfg) { return QA_SPEC(cfg, QaOneHotSpec)->max_bits; }

struct QaExec {
  QaEngine e;
  QaLayerStats *st;
  int tiles, fpt, acc_bits, a_bits, w_bits;
  int rsc; /* R * S * cpad */
  int ld_img, ld_pack;
  int64_t *nzsum; /* rsc: windows whose activation at each kernel offset is non-zero */
  /* clocked state */
  const QaChunk *cur;
  int oy, ox;
  int64_t t;    /* brick step within the window */
  int64_t *acc; /* one accumulator per PE row */
  int64_t cy_eff;
};

static int64_t mag(int32_t v) { return v < 0 ? -(int64_t)v : (int64_t)v; }

/* Index of the first code of v[n] that is not 0 or +-2^k, or -1. */
static int64_t first_not_onehot(const int32_t *v, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    int64_t m = mag(v[i]);
    if (m & (m - 1)) return i;
  }
  return -1;
}

static double ohd_peak(const QaArchConfig *cfg) {
  const QaArchSpec *s = &cfg->spec.base;
  return (double)s->tiles * s->rows * s->lanes;
}

static int oneHotError(const QaLayerJob *job, const char *what, int32_t code, int64_t i, QaErr *err) {
  return qaErrSet(err, QA_EUSER,
                  "layer '%s': onehot-dadiannao needs one-hot values (0 or +-2^k); quantize with "
                  "--quant-a pow2-u --quant-w pow2 (%s code %d at index %lld is not)",
                  job->layer->name, what, code, (long long)i);
}

/* Weight codes W[0..n) (flat indices I0..) inside the 16-bit range. */
static int ohd_wgt_range(const QaLayerJob *job, const int32_t *w, int64_t i0, int64_t n, QaErr *err) {
  for (int64_t i = 0; i < n; i++)
    if (mag(w[i]) > 65535)
      return qaErrSet(err, QA_EUSER, "layer '%s': weight code %d at index %lld is out of the 16-bit range",
                      job->layer->name, w[i], (long long)(i0 + i));
  return QA_OK;
}

static int ohd_wgt_onehot(const QaLayerJob *job, const int32_t *w, int64_t i0, int64_t n, QaErr *err) {
  int64_t i = first_not_onehot(w, n);
  return i >= 0 ? oneHotError(job, "weight", w[i], i0 + i, err) : QA_OK;
}

static int ohd_check_wgt(const QaArchConfig *cfg, const QaLayerJob *job, const int32_t *w, int64_t i0,
                         int64_t n, QaErr *err) {
  (void)cfg;
  int rc = ohd_wgt_range(job, w, i0, n, err);
  return rc ? rc : ohd_wgt_onehot(job, w, i0, n, err);
}

/* The ranges of both operands, then one-hot activations and weights (a streamed job's
** weights: ohd_check_wgt, window by window). */
static int ohd_check(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err) {
  const char *name = job->layer->name;
  int mb = QA_SPEC(cfg, QaOneHotSpec)->max_bits;
  if (job->a_bits < 1 || job->w_bits < 1 || job->a_bits > mb || job->w_bits > mb)
    return qaErrSet(err, QA_EUSER,
                    "layer '%s': onehot-dadiannao accepts one-hot codes of up to %d bits, not %d-bit "
                    "activations x %d-bit weights; lower --bits or raise max_bits",
                    name, mb, job->a_bits, job->w_bits);
  int64_t na = qaLayerActCount(job->layer), nw = qaLayerWgtCount(job->layer);
  int rc;
  for (int64_t i = 0; i < na; i++)
    if (mag(job->act[i]) > 65535)
      return qaErrSet(err, QA_EUSER,
                      "layer '%s': activation code %d at index %lld is out of the 16-bit range", name,
                      job->act[i], (long long)i);
  if (job->wgt && (rc = ohd_wgt_range(job, job->wgt, 0, nw, err))) return rc;
  int64_t ia = first_not_onehot(job->act, na);
  if (ia >= 0) return oneHotError(job, "activation", job->act[ia], ia, err);
  return job->wgt ? ohd_wgt_onehot(job, job->wgt, 0, nw, err) : QA_OK;
}

static void ohd_end(QaExec *ex, int64_t n_cycles) {
  if (!ex) return;
  QaLayerStats *st = ex->st;
  double peak = (double)ex->tiles * ex->fpt * ex->e.lanes;
  st->pe_util = n_cycles > 0 ? (double)st->macs / (peak * (double)n_cycles) : 0;
  qaEngineFree(&ex->e);
  free(ex->nzsum);
  free(ex->acc);
  free(ex);
}

static int ohd_begin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaExec **out,
                     QaErr *err) {
  const QaLayer *l = job->layer;
  *out = NULL;
  QaExec *ex = qaCalloc(1, sizeof *ex, err);
  if (!ex) return QA_EINTERNAL;
  ex->st = st;
  ex->tiles = cfg->spec.base.tiles;
  ex->fpt = cfg->spec.base.rows;
  ex->acc_bits = cfg->spec.base.acc_bits;
  ex->a_bits = job->a_bits;
  ex->w_bits = job->w_bits;
  ex->ld_img = ex->ld_pack = -1;
  int rc = qaEngineInit(&ex->e, cfg, job, cfg->spec.base.lanes, ex->tiles * ex->fpt, err);
  if (rc) {
    free(ex);
    return rc;
  }
  QaEngine *e = &ex->e;
  e->a_store_bits = qaKHotStoreBits(job->a_bits, job->a_signed != 0, 1);
  e->w_store_bits = qaKHotStoreBits(job->w_bits, 1, 1);
  e->o_store_bits = e->a_store_bits;
  ex->rsc = l->r * l->s * e->cpad;
  ex->nzsum = qaMalloc((size_t)ex->rsc * sizeof(int64_t), err);
  ex->acc = qaCalloc((size_t)e->rows, sizeof(int64_t), err);
  if (!ex->nzsum || !ex->acc) {
    ohd_end(ex, 0);
    return QA_EINTERNAL;
  }
  st->macs = qaJobMacs(job);
  st->effectual_terms = 0;
  *out = ex;
  return QA_OK;
}

static int64_t ohd_n_chunks(const QaExec *ex) { return ex->e.n_chunk; }
static const QaEngine *ohd_engine(const QaExec *ex) { return &ex->e; }

/* Load a chunk's operands; per (image, pack), count the windows whose activation at
** each kernel offset is non-zero (for the effectual term pairs). */
static void ohd_load(QaExec *ex, const QaChunk *c) {
  QaEngine *e = &ex->e;
  const QaLayer *l = e->l;
  qaEngineLoad(e, c);
  if (e->cur_img != ex->ld_img || e->cur_pack != ex->ld_pack) {
    int span = l->s * e->cpad;
    memset(ex->nzsum, 0, (size_t)ex->rsc * sizeof(int64_t));
    for (int oy = 0; oy < e->oh; oy++)
      for (int ox = 0; ox < e->ow; ox++)
        for (int r = 0; r < l->r; r++) {
          const int32_t *row = qaEngineActRow(e, oy, ox, r);
          int64_t *dst = ex->nzsum + (int64_t)r * span;
          for (int x = 0; x < span; x++) dst[x] += row[x] != 0;
        }
  }
  ex->ld_img = e->cur_img;
  ex->ld_pack = e->cur_pack;
}

/* Term pairs (both operands non-zero) of a pass. */
static int64_t ohd_effectual(const QaExec *ex, const QaChunk *c) {
  int64_t eff = 0;
  for (int j = 0; j < c->nf; j++) {
    const int32_t *w = qaEngineWgtRow(&ex->e, c->f0 + j, 0); /* its R rows are contiguous */
    for (int x = 0; x < ex->rsc; x++) eff += w[x] ? ex->nzsum[x] : 0;
  }
  return eff;
}

/* Action counts of one pass: identical in both timing modes (eff = term pairs). */
static void ohd_count(QaExec *ex, const QaChunk *c, int64_t eff) {
  const QaEngine *e = &ex->e;
  QaLayerStats *st = ex->st;
  int64_t windows = qaEngineWindows(e);
  int64_t steps = windows * qaEngineStepsPerWindow(e);
  int64_t tiles_active = (c->nf + ex->fpt - 1) / ex->fpt;
  int lanes = e->lanes;
  int ab = e->a_store_bits, wb = e->w_store_bits, ob = e->o_store_bits;
  st->n_steps += steps;
  st->effectual_terms += eff;
  qaCount(st, OHD_EXP_ADDER, QA_ACT_OP, steps * c->nf * lanes);
  qaCount(st, OHD_DECODER, QA_ACT_OP, steps * c->nf * lanes);
  qaCount(st, OHD_HISTOGRAM, QA_ACT_OP, steps * c->nf);
  qaCount(st, OHD_ADDER_TREE, QA_ACT_OP, steps * c->nf);
  qaCount(st, OHD_ACC, QA_ACT_OP, steps * c->nf);
  qaCount(st, OHD_WREG, QA_ACT_OP, steps * c->nf); /* registers: clocked in the cycles they work */
  qaCount(st, OHD_PREG, QA_ACT_OP, steps * c->nf);
  qaCount(st, OHD_AREG, QA_ACT_OP, steps * tiles_active);
  qaEngineCountBuffers(st, steps * lanes * ab, tiles_active, steps * c->nf * lanes * wb,
                       windows * c->nf * ob);
}

static inline void ohd_put(QaExec *ex, const QaChunk *c, int f, int oy, int ox, int64_t exact) {
  qaEnginePut(&ex->e, ex->acc_bits, &ex->st->acc_overflows, c->img, f, oy, ox, exact);
}

static int64_t ohd_run_chunk(QaExec *ex, int64_t i) {
  QaEngine *e = &ex->e;
  const QaChunk *c = &e->chunks[i];
  ohd_load(ex, c);
  ohd_count(ex, c, ohd_effectual(ex, c));
  qaEnginePassDots(e, c, ex->acc_bits, &ex->st->acc_overflows);
  return qaEngineWindows(e) * qaEngineStepsPerWindow(e);
}

static void ohd_start_chunk(QaExec *ex, int64_t i) {
  QaEngine *e = &ex->e;
  ex->cur = &e->chunks[i];
  ohd_load(ex, ex->cur);
  ex->oy = ex->ox = 0;
  ex->t = 0;
  ex->cy_eff = 0;
  memset(ex->acc, 0, (size_t)e->rows * sizeof(int64_t));
}

/* Exponent of a one-hot magnitude m = 2^k. */
static inline int exp_of(int64_t m) {
  int k = 0;
  while (m > 1) {
    m >>= 1;
    k++;
  }
  return k;
}

/* One clock: every active PE row takes one brick: per lane an exponent add and a
** one-hot position, a histogram across the lanes, shift, reduce, accumulate. */
static int ohd_tick(QaExec *ex) {
  QaEngine *e = &ex->e;
  const QaChunk *c = ex->cur;
  const QaLayer *l = e->l;
  int per_r = l->s * e->cb;
  int r = (int)(ex->t / per_r), rem = (int)(ex->t % per_r);
  int s = rem / e->cb, b = rem % e->cb;
  int64_t off = (int64_t)s * e->cpad + (int64_t)b * e->lanes;
  const int32_t *a = qaEngineActRow(e, ex->oy, ex->ox, r) + off;
  int32_t hist[HIST_N];
  for (int j = 0; j < c->nf; j++) {
    const int32_t *w = qaEngineWgtRow(e, c->f0 + j, r) + off;
    memset(hist, 0, sizeof hist);
    for (int lane = 0; lane < e->lanes; lane++) {
      if (!a[lane] || !w[lane]) continue;
      int pos = exp_of(mag(a[lane])) + exp_of(mag(w[lane]));
      hist[pos] += (a[lane] < 0) == (w[lane] < 0) ? 1 : -1;
      ex->cy_eff++;
    }
    int64_t sum = 0;
    for (int p = 0; p < HIST_N; p++) sum += (int64_t)hist[p] * ((int64_t)1 << p);
    ex->acc[j] += sum;
  }
  if (++ex->t < qaEngineStepsPerWindow(e)) return 1;
  for (int j = 0; j < c->nf; j++) {
    ohd_put(ex, c, c->f0 + j, ex->oy, ex->ox, ex->acc[j]);
    ex->acc[j] = 0;
  }
  ex->t = 0;
  if (++ex->ox == e->ow) {
    ex->ox = 0;
    if (++ex->oy == e->oh) {
      ohd_count(ex, c, ex->cy_eff);
      return 0;
    }
  }
  return 1;
}

const QaArchDesc qaArchOneHotDaDianNao = {
    .name = "onehot-dadiannao",
    .summary =
        "one-hot DaDianNao: 16 tiles x 16 filters x 16 lanes, exponent adders + per-PE histogram "
        "instead of multipliers, one-hot codes only (pow2), 1 cycle per brick",
    .params = ohd_params,
    .n_params = (int)(sizeof ohd_params / sizeof ohd_params[0]),
    .spec_size = sizeof(QaOneHotSpec),
    .comps = ohd_comps,
    .n_comps = OHD_N,
    .inventory = ohd_inventory,
    .hw_bits = ohd_hw_bits,
    .check = ohd_check,
    .check_wgt = ohd_check_wgt,
    .begin = ohd_begin,
    .n_chunks = ohd_n_chunks,
    .run_chunk = ohd_run_chunk,
    .start_chunk = ohd_start_chunk,
    .tick = ohd_tick,
    .end = ohd_end,
    .peak_macs = ohd_peak,
    .engine = ohd_engine,
    .quant_a = "pow2-u",
    .quant_w = "pow2",
    .encoder = "naf",
};

/* ---- khot-laconic ---------------------------------------------------------------- */

static const QaParam khl_params[] = {
    QA_LACONIC_PARAM_ROWS,
    QA_P_FIELD(QaLaconicSpec, k_a, QA_PT_INT, 1, 8, 2, "",
               "most terms an activation may have (checked); a lane costs <= k_a x k_w cycles; stored as k_a "
               "exponents and a sign"),
    QA_P_FIELD(QaLaconicSpec, k_w, QA_PT_INT, 1, 8, 2, "", "most terms a weight may have (checked)"),
};

/* Index of the first code of v[n] with more than k terms, or -1; *terms out. */
static int64_t first_over(QaEncoder enc, const int32_t *v, int64_t n, int k, int *terms) {
  const uint8_t *tab = qaTermsTable(enc);
  for (int64_t i = 0; i < n; i++)
    if (tab[mag(v[i])] > k) {
      *terms = tab[mag(v[i])];
      return i;
    }
  return -1;
}

/* The weight codes W[0..n) (flat indices I0..): laconic's range, then at most k_w terms. */
static int khl_check_wgt(const QaArchConfig *cfg, const QaLayerJob *job, const int32_t *w, int64_t i0,
                         int64_t n, QaErr *err) {
  int rc = qaLaconicCheckWgt(cfg, job, w, i0, n, err);
  if (rc) return rc;
  int kw = QA_SPEC(cfg, QaLaconicSpec)->k_w, terms = 0;
  int64_t i = first_over(job->encoder, w, n, kw, &terms);
  if (i < 0) return QA_OK;
  char qw[16];
  if (kw == 1)
    snprintf(qw, sizeof qw, "pow2");
  else
    snprintf(qw, sizeof qw, "khot%d", kw);
  return qaErrSet(err, QA_EUSER,
                  "layer '%s': khot-laconic allows at most k_w = %d terms per weight, but code %d "
                  "(index %lld) has %d with encoder %s; quantize with --quant-w %s (and --encoder naf) "
                  "or raise k_w",
                  job->layer->name, kw, w[i], (long long)(i0 + i), terms, qaEncoderName(job->encoder), qw);
}

static int khl_check(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err) {
  int rc = qaLaconicCheck(cfg, job, err);
  if (rc) return rc;
  const char *name = job->layer->name, *enc = qaEncoderName(job->encoder);
  const QaLaconicSpec *p = QA_SPEC(cfg, QaLaconicSpec);
  int ka = p->k_a, terms = 0;
  char qa[16];
  if (ka == 1)
    snprintf(qa, sizeof qa, "pow2-u");
  else
    snprintf(qa, sizeof qa, "khot%d-u", ka);
  int64_t i = first_over(job->encoder, job->act, qaLayerActCount(job->layer), ka, &terms);
  if (i >= 0)
    return qaErrSet(err, QA_EUSER,
                    "layer '%s': khot-laconic allows at most k_a = %d terms per activation, but code %d "
                    "(index %lld) has %d with encoder %s; quantize with --quant-a %s (and --encoder naf) "
                    "or raise k_a",
                    name, ka, job->act[i], (long long)i, terms, enc, qa);
  return job->wgt ? khl_check_wgt(cfg, job, job->wgt, 0, qaLayerWgtCount(job->layer), err) : QA_OK;
}

const QaArchDesc qaArchKHotLaconic = {
    .name = "khot-laconic",
    .summary =
        "k-hot Laconic: the laconic term-serial PE array on k-hot codes (khot2 quantizers, naf), "
        "<= k_a x k_w cycles per lane, k checked against the data",
    .params = khl_params,
    .n_params = (int)(sizeof khl_params / sizeof khl_params[0]),
    .spec_size = sizeof(QaLaconicSpec),
    .check = khl_check,
    .check_wgt = khl_check_wgt,
    QA_LACONIC_OPS,
    .quant_a = "khot2-u",
    .quant_w = "khot2",
    .encoder = "naf",
};
