/*
** laconic.c - Laconic (Sharify et al., ISCA 2019): term-serial weights AND activations.
**
** Both operands are recoded into signed power-of-two terms with the job's encoder
** (radix-4 Booth by default, see sim/terms.h). A lane holds one (activation, weight)
** pair and consumes one (activation term, weight term) pair per cycle: an exponent
** adder forms e = e_a + e_w, a decoder turns e into a one-hot position, the PE counts
** the +1/-1 hits per position across its lanes (a histogram), shifts each count by
** its position and reduces them with an adder tree into the accumulator. No
** multipliers.
**
** Geometry: `tiles` tiles of `rows` x `columns` PEs with `lanes` lanes each. A row
** holds one filter (its weights are broadcast along the row), a column one output
** window (its activations are broadcast along the column); a pass processes
** tiles x rows filters, `columns` consecutive windows at a time ("window group"),
** and each window group takes R x S x bricks brick steps.
**
** Cycle rule. A lane costs terms(a) x terms(w) cycles, 1 if either operand is zero
** (it still occupies its slot). A PE's step costs the max over its lanes. The `sync`
** parameter says which PEs must all finish a step before any of them starts the next:
**   pe (0): none - each PE runs through its own steps; column (1): the PEs of one
**   column of one tile; tile (2): all PEs of a tile; grid (3, default): all PEs.
** A sync group's step costs the max over its PEs (at least 1 cycle); a chunk (one
** pass over all windows) costs the max over sync groups of the sum of their step
** costs (every group starts the chunk together and the chunk ends when the last one
** is done). PEs without a filter or a window in a step are idle and cost nothing.
** Default geometry [unverified]: 16 tiles x 16 rows x 16 columns x 16 lanes = 65,536
** lanes, 16x DaDianNao's 4,096: the group's public simulator models Laconic as 16
** lanes x 16 columns x 256 rows (16 tiles x 16 filters) in grid lock-step, and the
** paper's LPE is ~5x smaller than a bit-parallel 8-bit PE, so many more fit.
**
** Fast evaluation of the rule (loosely timed): term counts of the loaded operands are
** looked up once per pack (qaTermsTable). For tile and grid scope, since term counts
** are non-negative, max over (column c, row r, lane l) of max(1, ta[c][l] tw[r][l]) =
** max(1, max_l (max_c ta[c][l]) (max_r tw[r][l])): the weight maxima are per pass, so
** a step costs O(lanes x (columns + tiles)) instead of O(MACs). Column scope costs
** O(tiles x columns x lanes) per step; pe scope is O(MACs).
** Effectual term pairs, sum over all MAC slots of terms(a) x terms(w), factor as
** sum over kernel offsets of (sum over windows of ta) x (sum over the pass's filters
** of tw): O(windows x R x S x channels) per pack.
**
** Outputs. The clocked tick is literally term-serial: each cycle every lane with
** work left emits one term pair into its PE's histogram, and the PE shifts, reduces
** and accumulates; the tests check those sums against the reference. The histogram
** sums of a lane's term pairs equal the product of its codes, so the loosely-timed mode
** computes the pass's outputs as exact dot products of the codes (qaEnginePassDots, as
** the other kernels do): what it checks against the reference is the dataflow (which
** operands meet in which PE), not the term arithmetic. (An earlier version summed the
** activations through weight term planes: ~3x a dot product at 8 bits and ~9x at 16
** bits, for sums that are the same by construction.)
** Outputs wrap to acc_bits; outputs whose exact value does not fit are counted in
** acc_overflows. Both modes report identical cycles, outputs and action counts.
**
** Storage: memories hold the codes bit-parallel at the job's precisions (a_bits,
** w_bits; outputs at a_bits for the next layer); term encoders at the buffer outputs
** recode every operand read. Actions (per chunk, identical in both modes):
**   exp_adder op (a: activation exponent bits, w: weight exponent bits) and
**   onehot_decoder op (a: positions) - once per effectual term pair;
**   histogram op (a: positions, w: counter bits), shifter op (a: counter bits, w:
**   positions), adder_tree op (a: input width, w: inputs = positions), acc op
**   (a: acc_bits) - once per PE per cycle its sync group is in a step (PE-cycles);
**   term_encoder op (a: value bits) - per activation read per active tile and per
**   weight read; nm/nbin/sb/nbout read/write bits as in dadiannao.c.
*/
#include <stdlib.h>
#include <string.h>

#include "arch/laconicInt.h"

#define HIST_N (2 * 17 + 2) /* exponent sums 0..34 for |v| <= QA_TERMS_VMAX */

const char *const qaLaconicSyncNames[] = {"pe", "column", "tile", "grid", NULL};

static const QaParam lac_params[] = {QA_LACONIC_PARAM_ROWS};

const QaComponentDef qaLaconicComps[QA_LAC_N] = {
    QA_MEM_COMPONENTS,
    [QA_LAC_EXP_ADDER] = {"exp_adder", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_EXP_ADDER,
                          "per lane: adds the activation and weight term exponents"},
    [QA_LAC_DECODER] = {"onehot_decoder", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_DECODER,
                        "per lane: the exponent sum as a one-hot position"},
    [QA_LAC_HISTOGRAM] = {"histogram", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_HISTOGRAM,
                          "counts the lanes' +1/-1 hits per position"},
    [QA_LAC_SHIFTER] = {"shifter", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_SHIFTER,
                        "shifts each position's count by its position"},
    [QA_LAC_ADDER_TREE] = {"adder_tree", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_ADDER_TREE,
                           "reduces the shifted counts"},
    [QA_LAC_ACC] = {"acc", QA_CAT_ACCUMULATION, QA_SCOPE_PE, QA_PRIM_ACCUMULATOR,
                    "accumulates the reduced sum into the output"},
    [QA_LAC_ENCODER_A] = {"term_encoder_a", QA_CAT_DATAPATH, QA_SCOPE_TILE, QA_PRIM_TERM_ENCODER,
                          "recodes every activation read into terms (one per lane per column)"},
    [QA_LAC_ENCODER_W] = {"term_encoder_w", QA_CAT_DATAPATH, QA_SCOPE_TILE, QA_PRIM_TERM_ENCODER,
                          "recodes every weight read into terms (one per lane per row)"},
    [QA_LAC_AREG] = {"areg", QA_CAT_REGISTERS, QA_SCOPE_TILE, QA_PRIM_REG,
                     "per column: the lanes activations of a brick step (stored codes), held while their "
                     "terms are used"},
    [QA_LAC_WREG] = {"wreg", QA_CAT_REGISTERS, QA_SCOPE_TILE, QA_PRIM_REG,
                     "per row: the lanes weights of a brick step (stored codes), held while their terms are "
                     "used"},
};

/* A PE: per lane an exponent adder (e_a + e_w) and a one-hot decoder onto a + w + 1
** positions (a + w - 1 for one-hot codes, k_a = k_w = 1); a histogram of that many counters (qaBitsFor(lanes)
*+ 1 bits), the shifter
** of the counts by position, an adder tree over the shifted counts and the accumulator.
** A tile: rows x columns PEs plus a term encoder per lane at the NBin side (one per
** column) and at the SB side (one per row), and the registers holding a step's operands
** for them (per column the lanes activations, per row the lanes weights, at the stored
** widths: k-hot designs hold narrower codes). Built for max_bits-bit operands (2 x max_bits
** + 1 positions: 33 at 16 bits); the memories hold max_bits-bit codes. */
void qaLaconicInventory(const QaArchConfig *cfg, int a_bits, int w_bits, QaInventory *inv) {
  const QaLaconicSpec *p = QA_SPEC(cfg, QaLaconicSpec);
  const QaArchSpec *s = &p->base;
  /* term exponents of a p-bit code: 0..p with signed digits (Booth / NAF reach 2^p),
  ** 0..p-1 for one-hot codes (k = 1: a single bit of the magnitude) */
  int xa = p->k_a == 1 ? a_bits - 1 : a_bits, xw = p->k_w == 1 ? w_bits - 1 : w_bits;
  int mb = p->max_bits, positions = xa + xw + 1, counter = qaBitsFor(s->lanes) + 1;
  int ea = qaBitsFor(xa), ew = qaBitsFor(xw);
  /* k-hot designs store codes as k exponents and a sign: narrower memories, no encoders */
  int ab = p->k_a ? qaKHotStoreBits(mb, 1, p->k_a) : mb, wb = p->k_w ? qaKHotStoreBits(mb, 1, p->k_w) : mb;
  inv->tiles = s->tiles;
  inv->pes_per_tile = (int64_t)s->rows * s->columns;
  inv->n_comp = QA_LAC_N;
  qaMemInventory(s, s->rows * s->lanes * wb, s->columns * s->lanes * ab, s->rows * ab, inv);
  inv->comp[QA_LAC_EXP_ADDER] = (QaComponent){.count = s->lanes, .bits_a = ea > ew ? ea : ew};
  inv->comp[QA_LAC_DECODER] = (QaComponent){.count = s->lanes, .n = positions};
  inv->comp[QA_LAC_HISTOGRAM] = (QaComponent){.count = 1, .bits_a = counter, .n = positions};
  inv->comp[QA_LAC_SHIFTER] = (QaComponent){.count = 1, .bits_a = counter, .n = positions};
  inv->comp[QA_LAC_ADDER_TREE] = (QaComponent){.count = 1, .bits_a = counter + positions, .n = positions};
  inv->comp[QA_LAC_ACC] = (QaComponent){.count = 1, .bits_a = s->acc_bits};
  inv->comp[QA_LAC_ENCODER_A] =
      (QaComponent){.count = p->k_a ? 0 : (int64_t)s->columns * s->lanes, .bits_a = a_bits};
  inv->comp[QA_LAC_ENCODER_W] =
      (QaComponent){.count = p->k_w ? 0 : (int64_t)s->rows * s->lanes, .bits_a = w_bits};
  inv->comp[QA_LAC_AREG] = (QaComponent){.count = s->columns, .bits_a = s->lanes * ab};
  inv->comp[QA_LAC_WREG] = (QaComponent){.count = s->rows, .bits_a = s->lanes * wb};
}

int qaLaconicHwBits(const QaArchConfig *cfg) { return QA_SPEC(cfg, QaLaconicSpec)->max_bits; }

/* One lane of the clocked PE array: the term lists of its current pair and progress. */
typedef struct Lane {
  uint16_t n, k;  /* term pairs of the step, pairs emitted */
  uint8_t na, nw; /* terms of the activation, of the weight */
  QaTerm a[QA_TERMS_MAX], w[QA_TERMS_MAX];
} Lane;

struct QaExec {
  QaEngine e;
  QaLayerStats *st;
  QaEncoder enc;
  const uint8_t *ttab; /* term counts per magnitude for enc */
  int tiles, rpt, cols, lanes, sync, acc_bits;
  int a_bits, w_bits;
  int khot_a, khot_w; /* k-hot operands are stored as exponents: no term encoders */
  int64_t nwin, ngrp; /* windows per chunk, window groups (of `cols` windows) */
  int spw;            /* brick steps per window: R * S * bricks */
  int rsc;            /* R * S * cpad: one filter's packed weights */
  /* term counts of the loaded operands, same layouts as e.act / e.wgt */
  int ld_img, ld_pack;
  int64_t ld_wgen;
  uint8_t *ta, *tw; /* tw: the filters the engine holds (from its wf0) */
  int64_t *asum;    /* rsc: sum over windows of ta at each kernel offset */
  /* loosely-timed scratch */
  uint8_t *wmax;  /* tiles * rsc: max weight term count over each tile's filters */
  int64_t *sums;  /* per sync group cycle sums (at most rows_total * cols) */
  int64_t *bases; /* cols: activation offsets of a window group's windows */
  /* clocked state */
  const QaChunk *cur;
  int n_grp, n_live;
  int64_t *g_k, *g_total; /* per sync group: step index, steps */
  uint8_t *g_fresh, *g_busy, *g_done, *g_end;
  int64_t *acc; /* per PE (row j of the pass, column c): j * cols + c */
  Lane *lane;   /* per PE per lane */
  int64_t cy_eff, cy_pe;
  /* FC column multiplexing: the single window's bricks go to the columns in turn */
  int mux, mux_cols;  /* on; columns used: min(cols, bricks) */
  int64_t *mux_cost;  /* spw: brick costs of a pass */
  int64_t *mux_end;   /* cols: when each column is free (scratch of qaFcMuxCycles) */
  int64_t *col_brick; /* cols, clocked: brick a column works on, -1 if idle */
  int64_t next_brick; /* clocked: the next brick to start */
};

static int64_t mag(int32_t v) { return v < 0 ? -(int64_t)v : (int64_t)v; }

/* The weight term counts of filter f of the loaded pack (one the engine holds). */
static inline const uint8_t *twRow(const QaExec *ex, int f) {
  return ex->tw + (int64_t)(f - ex->e.wf0) * ex->rsc;
}

double qaLaconicPeak(const QaArchConfig *cfg) {
  const QaArchSpec *s = &cfg->spec.base;
  return (double)s->tiles * s->rows * s->columns * s->lanes;
}

int qaLaconicCheck(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err) {
  const char *name = job->layer->name, *arch = cfg->desc->name;
  int mb = QA_SPEC(cfg, QaLaconicSpec)->max_bits;
  if (job->a_bits < 1 || job->a_bits > mb || job->w_bits < 1 || job->w_bits > mb)
    return qaErrSet(err, QA_EUSER,
                    "layer '%s': %s (max_bits %d) runs 1..%d-bit codes, not %d-bit activations x %d-bit "
                    "weights; lower --bits or raise max_bits",
                    name, arch, mb, mb, job->a_bits, job->w_bits);
  double lanes = qaLaconicPeak(cfg);
  if (lanes > (double)(1 << 20))
    return qaErrSet(
        err, QA_EUSER,
        "%s: tiles x rows x columns x lanes = %.0f exceeds the simulator's limit of 1048576 lanes", arch,
        lanes);
  if ((unsigned)job->encoder >= (unsigned)QA_ENC_COUNT)
    return qaErrSet(err, QA_EUSER, "layer '%s': invalid term encoder %d", name, (int)job->encoder);
  int64_t na = qaLayerActCount(job->layer), nw = qaLayerWgtCount(job->layer);
  for (int64_t i = 0; i < na; i++)
    if (mag(job->act[i]) > (1 << mb))
      return qaErrSet(err, QA_EUSER,
                      "layer '%s': activation code %d at index %lld is out of the %d-bit range", name,
                      job->act[i], (long long)i, mb);
  return job->wgt ? qaLaconicCheckWgt(cfg, job, job->wgt, 0, nw, err) : QA_OK;
}

int qaLaconicCheckWgt(const QaArchConfig *cfg, const QaLayerJob *job, const int32_t *w, int64_t i0, int64_t n,
                      QaErr *err) {
  int mb = QA_SPEC(cfg, QaLaconicSpec)->max_bits;
  for (int64_t i = 0; i < n; i++)
    if (mag(w[i]) > (1 << mb))
      return qaErrSet(err, QA_EUSER, "layer '%s': weight code %d at index %lld is out of the %d-bit range",
                      job->layer->name, w[i], (long long)(i0 + i), mb);
  return QA_OK;
}

void qaLaconicEnd(QaExec *ex, int64_t n_cycles) {
  if (!ex) return;
  QaLayerStats *st = ex->st;
  double peak = (double)ex->tiles * ex->rpt * ex->cols * ex->lanes;
  st->pe_util = n_cycles > 0 ? (double)st->macs / (peak * (double)n_cycles) : 0;
  qaEngineFree(&ex->e);
  free(ex->ta);
  free(ex->tw);
  free(ex->asum);
  free(ex->wmax);
  free(ex->sums);
  free(ex->bases);
  free(ex->g_k);
  free(ex->g_total);
  free(ex->g_fresh);
  free(ex->g_busy);
  free(ex->g_done);
  free(ex->g_end);
  free(ex->acc);
  free(ex->lane);
  free(ex->mux_cost);
  free(ex->mux_end);
  free(ex->col_brick);
  free(ex);
}

int qaLaconicBegin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaExec **out,
                   QaErr *err) {
  const QaLayer *l = job->layer;
  *out = NULL;
  QaExec *ex = qaCalloc(1, sizeof *ex, err);
  if (!ex) return QA_EINTERNAL;
  ex->st = st;
  ex->enc = job->encoder;
  ex->ttab = qaTermsTable(job->encoder);
  const QaLaconicSpec *sp = QA_SPEC(cfg, QaLaconicSpec);
  ex->tiles = sp->base.tiles;
  ex->rpt = sp->base.rows;
  ex->cols = sp->base.columns;
  ex->lanes = sp->base.lanes;
  ex->sync = sp->sync;
  ex->acc_bits = sp->base.acc_bits;
  ex->a_bits = job->a_bits;
  ex->w_bits = job->w_bits;
  ex->ld_img = ex->ld_pack = -1;
  int rc = qaEngineInit(&ex->e, cfg, job, ex->lanes, ex->tiles * ex->rpt, err);
  if (rc) {
    free(ex);
    return rc;
  }
  QaEngine *e = &ex->e;
  /* codes bit-parallel; k-hot codes as k exponents and a sign (qaKHotStoreBits) */
  ex->khot_a = sp->k_a != 0;
  ex->khot_w = sp->k_w != 0;
  e->a_store_bits = sp->k_a ? qaKHotStoreBits(job->a_bits, job->a_signed != 0, sp->k_a) : job->a_bits;
  e->w_store_bits = sp->k_w ? qaKHotStoreBits(job->w_bits, 1, sp->k_w) : job->w_bits;
  e->o_store_bits = e->a_store_bits;
  ex->nwin = qaEngineWindows(e);
  ex->ngrp = (ex->nwin + ex->cols - 1) / ex->cols;
  ex->spw = (int)qaEngineStepsPerWindow(e);
  ex->mux = sp->base.fc_multiplex && ex->nwin == 1 && ex->cols > 1 && ex->spw > 1;
  ex->mux_cols = ex->spw < ex->cols ? ex->spw : ex->cols;
  ex->rsc = l->r * l->s * e->cpad;
  int rows = e->rows, npe = rows * ex->cols;
  int64_t held = (int64_t)e->gpp * e->kg; /* filters the engine holds at once */
  if (job->wsrc && held > rows) held = rows;
  size_t nact = (size_t)e->hp * e->wp * e->cpad, nwg = (size_t)held * ex->rsc;
  ex->ta = qaMalloc(nact, err);
  ex->tw = qaMalloc(nwg ? nwg : 1, err);
  ex->asum = qaMalloc((size_t)ex->rsc * sizeof(int64_t), err);
  ex->wmax = qaMalloc((size_t)ex->tiles * ex->rsc, err);
  ex->sums = qaMalloc((size_t)npe * sizeof(int64_t), err);
  ex->bases = qaMalloc((size_t)ex->cols * sizeof(int64_t), err);
  ex->g_k = qaMalloc((size_t)npe * sizeof(int64_t), err);
  ex->g_total = qaMalloc((size_t)npe * sizeof(int64_t), err);
  ex->g_fresh = qaMalloc((size_t)npe, err);
  ex->g_busy = qaMalloc((size_t)npe, err);
  ex->g_done = qaMalloc((size_t)npe, err);
  ex->g_end = qaMalloc((size_t)npe, err);
  ex->acc = qaMalloc((size_t)npe * sizeof(int64_t), err);
  ex->lane = qaCalloc((size_t)npe * ex->lanes, sizeof(Lane), err);
  ex->mux_cost = qaMalloc((size_t)ex->spw * sizeof(int64_t), err);
  ex->mux_end = qaMalloc((size_t)ex->cols * sizeof(int64_t), err);
  ex->col_brick = qaMalloc((size_t)ex->cols * sizeof(int64_t), err);
  if (!ex->ta || !ex->tw || !ex->asum || !ex->wmax || !ex->sums || !ex->bases || !ex->g_k || !ex->g_total ||
      !ex->g_fresh || !ex->g_busy || !ex->g_done || !ex->g_end || !ex->acc || !ex->lane || !ex->mux_cost ||
      !ex->mux_end || !ex->col_brick) {
    qaLaconicEnd(ex, 0);
    return QA_EINTERNAL;
  }
  st->macs = qaJobMacs(job);
  st->effectual_terms = 0;
  *out = ex;
  return QA_OK;
}

int64_t qaLaconicNChunks(const QaExec *ex) { return ex->e.n_chunk; }
const QaEngine *qaLaconicEngine(const QaExec *ex) { return &ex->e; }

/* Load chunk c's operands and (when they changed) their term counts. */
static void load(QaExec *ex, const QaChunk *c) {
  QaEngine *e = &ex->e;
  const QaLayer *l = e->l;
  qaEngineLoad(e, c);
  const uint8_t *tab = ex->ttab;
  if (e->wgen != ex->ld_wgen) {
    size_t n = (size_t)e->wnf * ex->rsc;
    for (size_t i = 0; i < n; i++) ex->tw[i] = tab[mag(e->wgt[i])];
    ex->ld_wgen = e->wgen;
  }
  if (e->cur_img != ex->ld_img || e->cur_pack != ex->ld_pack) {
    size_t n = (size_t)e->hp * e->wp * e->cpad;
    for (size_t i = 0; i < n; i++) ex->ta[i] = tab[mag(e->act[i])];
    /* sum over all windows of the term counts each kernel offset sees */
    int span = l->s * e->cpad;
    memset(ex->asum, 0, (size_t)ex->rsc * sizeof(int64_t));
    for (int oy = 0; oy < e->oh; oy++)
      for (int ox = 0; ox < e->ow; ox++)
        for (int r = 0; r < l->r; r++) {
          const uint8_t *row = ex->ta + (qaEngineActRow(e, oy, ox, r) - e->act);
          int64_t *dst = ex->asum + (int64_t)r * span;
          for (int x = 0; x < span; x++) dst[x] += row[x];
        }
  }
  ex->ld_img = e->cur_img;
  ex->ld_pack = e->cur_pack;
}

/* Effectual term pairs of a pass: sum over kernel offsets of asum x (sum of tw over
** the pass's filters). */
static int64_t pass_effectual(const QaExec *ex, const QaChunk *c) {
  int64_t eff = 0;
  for (int j = 0; j < c->nf; j++) {
    const uint8_t *w = twRow(ex, c->f0 + j);
    for (int x = 0; x < ex->rsc; x++) eff += ex->asum[x] * w[x];
  }
  return eff;
}

/* Action counts of one pass: identical in both timing modes. eff = term pairs
** processed, pe_cycles = sum over PEs of the cycles their sync group was in a step. */
static void count_chunk(QaExec *ex, const QaChunk *c, int64_t eff, int64_t pe_cycles) {
  const QaEngine *e = &ex->e;
  QaLayerStats *st = ex->st;
  int64_t steps = ex->ngrp * ex->spw;  /* brick steps dispatched to the array */
  int64_t wsteps = ex->nwin * ex->spw; /* window x brick steps (activation bricks read) */
  int64_t tiles_active = (c->nf + ex->rpt - 1) / ex->rpt;
  int lanes = e->lanes;
  st->n_steps += steps;
  st->effectual_terms += eff;
  qaCount(st, QA_LAC_EXP_ADDER, QA_ACT_OP, eff);
  qaCount(st, QA_LAC_DECODER, QA_ACT_OP, eff);
  qaCount(st, QA_LAC_HISTOGRAM, QA_ACT_OP, pe_cycles);
  qaCount(st, QA_LAC_SHIFTER, QA_ACT_OP, pe_cycles);
  qaCount(st, QA_LAC_ADDER_TREE, QA_ACT_OP, pe_cycles);
  qaCount(st, QA_LAC_ACC, QA_ACT_OP, pe_cycles);
  /* multiplexed: the columns' partial sums of each filter are added at the end */
  if (ex->mux) qaCount(st, QA_LAC_ACC, QA_ACT_OP, (int64_t)(ex->mux_cols - 1) * c->nf);
  if (!ex->khot_a) qaCount(st, QA_LAC_ENCODER_A, QA_ACT_OP, wsteps * lanes * tiles_active);
  if (!ex->khot_w) qaCount(st, QA_LAC_ENCODER_W, QA_ACT_OP, steps * c->nf * lanes);
  qaCount(st, QA_LAC_AREG, QA_ACT_OP, wsteps * tiles_active); /* registers: loaded once per step */
  qaCount(st, QA_LAC_WREG, QA_ACT_OP, steps * c->nf);
  qaEngineCountBuffers(st, wsteps * lanes * e->a_store_bits, tiles_active,
                       steps * c->nf * lanes * e->w_store_bits, ex->nwin * c->nf * e->o_store_bits);
}

static inline void put_output(QaExec *ex, const QaChunk *c, int f, int oy, int ox, int64_t exact) {
  qaEnginePut(&ex->e, ex->acc_bits, &ex->st->acc_overflows, c->img, f, oy, ox, exact);
}

/* max(1, max_l a[l] * w[l]) */
static inline int max_prod(const uint8_t *restrict a, const uint8_t *restrict w, int n) {
  int m = 1;
  for (int l = 0; l < n; l++) {
    int p = a[l] * w[l];
    m = p > m ? p : m;
  }
  return m;
}

/* Maxima of the weight term counts of pass filters [j0, j1) into dst[rsc]. */
static void weight_max(const QaExec *ex, const QaChunk *c, int j0, int j1, uint8_t *dst) {
  memset(dst, 0, (size_t)ex->rsc);
  for (int j = j0; j < j1; j++) {
    const uint8_t *w = twRow(ex, c->f0 + j);
    for (int x = 0; x < ex->rsc; x++) dst[x] = w[x] > dst[x] ? w[x] : dst[x];
  }
}

/* Loosely timed cycles of a multiplexed pass (engine.h qaFcMuxCycles): a brick occupies
** its column until every PE of the column (the pass's filters, all tiles) is done with
** it: max(1, max over lanes of terms(a) x the most terms any of the pass's filters has
** in that lane). *pe_cycles out. */
static int64_t lt_cycles_mux(QaExec *ex, const QaChunk *c, int64_t *pe_cycles) {
  const QaEngine *e = &ex->e;
  const QaLayer *l = e->l;
  int L = e->lanes;
  int64_t base = qaEngineActRow(e, 0, 0, 0) - e->act, pe = 0;
  weight_max(ex, c, 0, c->nf, ex->wmax);
  for (int t = 0; t < ex->spw; t++) {
    int per_r = l->s * e->cb, r = t / per_r, rem = t % per_r, s = rem / e->cb, b = rem % e->cb;
    int64_t aoff = ((int64_t)r * e->wp + s) * e->cpad + (int64_t)b * L;
    int64_t woff = ((int64_t)r * l->s + s) * e->cpad + (int64_t)b * L;
    ex->mux_cost[t] = max_prod(ex->ta + base + aoff, ex->wmax + woff, L);
    pe += ex->mux_cost[t] * c->nf;
  }
  *pe_cycles = pe;
  return qaFcMuxCycles(ex->mux_cost, ex->spw, ex->mux_cols, ex->mux_end);
}

/* Loosely timed cycle count of a pass under the sync scope; *pe_cycles out. */
static int64_t lt_cycles(QaExec *ex, const QaChunk *c, int64_t *pe_cycles) {
  if (ex->mux) return lt_cycles_mux(ex, c, pe_cycles);
  const QaEngine *e = &ex->e;
  const QaLayer *l = e->l;
  int L = e->lanes, C = ex->cols, nf = c->nf, rpt = ex->rpt, cpad = e->cpad;
  int tiles_act = (nf + rpt - 1) / rpt;
  int sync = ex->sync;
  int64_t total = 0, pe = 0;
  uint8_t am[256];
  if (sync == QA_LACONIC_SYNC_GRID) {
    weight_max(ex, c, 0, nf, ex->wmax);
  } else if (sync != QA_LACONIC_SYNC_PE) {
    for (int t = 0; t < tiles_act; t++) {
      int j1 = (t + 1) * rpt < nf ? (t + 1) * rpt : nf;
      weight_max(ex, c, t * rpt, j1, ex->wmax + (int64_t)t * ex->rsc);
    }
  }
  memset(ex->sums, 0, (size_t)nf * C * sizeof(int64_t));
  for (int64_t g = 0; g < ex->ngrp; g++) {
    int ncol = ex->nwin - g * C < C ? (int)(ex->nwin - g * C) : C;
    for (int cc = 0; cc < ncol; cc++) {
      int64_t w = g * C + cc;
      ex->bases[cc] = qaEngineActRow(e, (int)(w / e->ow), (int)(w % e->ow), 0) - e->act;
    }
    for (int r = 0; r < l->r; r++)
      for (int s = 0; s < l->s; s++)
        for (int b = 0; b < e->cb; b++) {
          int64_t aoff = ((int64_t)r * e->wp + s) * cpad + (int64_t)b * L;
          int64_t woff = ((int64_t)r * l->s + s) * cpad + (int64_t)b * L;
          if (sync == QA_LACONIC_SYNC_GRID || sync == QA_LACONIC_SYNC_TILE) {
            const uint8_t *a0 = ex->ta + ex->bases[0] + aoff;
            memcpy(am, a0, (size_t)L);
            for (int cc = 1; cc < ncol; cc++) {
              const uint8_t *a = ex->ta + ex->bases[cc] + aoff;
              for (int k = 0; k < L; k++) am[k] = a[k] > am[k] ? a[k] : am[k];
            }
            if (sync == QA_LACONIC_SYNC_GRID) {
              int m = max_prod(am, ex->wmax + woff, L);
              total += m;
              pe += (int64_t)m * nf * ncol;
            } else {
              for (int t = 0; t < tiles_act; t++) {
                int nft = (t + 1) * rpt < nf ? rpt : nf - t * rpt;
                int m = max_prod(am, ex->wmax + (int64_t)t * ex->rsc + woff, L);
                ex->sums[t] += m;
                pe += (int64_t)m * nft * ncol;
              }
            }
          } else if (sync == QA_LACONIC_SYNC_COLUMN) {
            for (int cc = 0; cc < ncol; cc++) {
              const uint8_t *a = ex->ta + ex->bases[cc] + aoff;
              for (int t = 0; t < tiles_act; t++) {
                int nft = (t + 1) * rpt < nf ? rpt : nf - t * rpt;
                int m = max_prod(a, ex->wmax + (int64_t)t * ex->rsc + woff, L);
                ex->sums[t * C + cc] += m;
                pe += (int64_t)m * nft;
              }
            }
          } else {
            for (int cc = 0; cc < ncol; cc++) {
              const uint8_t *a = ex->ta + ex->bases[cc] + aoff;
              for (int j = 0; j < nf; j++) {
                int m = max_prod(a, twRow(ex, c->f0 + j) + woff, L);
                ex->sums[(int64_t)j * C + cc] += m;
                pe += m;
              }
            }
          }
        }
  }
  if (sync != QA_LACONIC_SYNC_GRID) {
    int64_t n = sync == QA_LACONIC_SYNC_TILE     ? tiles_act
                : sync == QA_LACONIC_SYNC_COLUMN ? (int64_t)tiles_act * C
                                                 : (int64_t)nf * C;
    for (int64_t i = 0; i < n; i++) total = ex->sums[i] > total ? ex->sums[i] : total;
  }
  *pe_cycles = pe;
  return total;
}

int64_t qaLaconicRunChunk(QaExec *ex, int64_t i) {
  const QaChunk *c = &ex->e.chunks[i];
  load(ex, c);
  int64_t pe_cycles = 0;
  int64_t cycles = lt_cycles(ex, c, &pe_cycles);
  qaEnginePassDots(&ex->e, c, ex->acc_bits, &ex->st->acc_overflows);
  count_chunk(ex, c, pass_effectual(ex, c), pe_cycles);
  return cycles;
}

/* ---- clocked mode: explicit PE and lane state, one cycle per tick ---------------- */

static inline int group_of(const QaExec *ex, int j, int col) {
  switch (ex->sync) {
    case QA_LACONIC_SYNC_PE:
      return j * ex->cols + col;
    case QA_LACONIC_SYNC_COLUMN:
      return (j / ex->rpt) * ex->cols + col;
    case QA_LACONIC_SYNC_TILE:
      return j / ex->rpt;
    default:
      return 0;
  }
}

void qaLaconicStartChunk(QaExec *ex, int64_t i) {
  const QaChunk *c = &ex->e.chunks[i];
  ex->cur = c;
  load(ex, c);
  int C = ex->cols, tiles_act = (c->nf + ex->rpt - 1) / ex->rpt;
  int single = ex->sync == QA_LACONIC_SYNC_PE || ex->sync == QA_LACONIC_SYNC_COLUMN;
  ex->n_grp = ex->sync == QA_LACONIC_SYNC_PE       ? c->nf * C
              : ex->sync == QA_LACONIC_SYNC_COLUMN ? tiles_act * C
              : ex->sync == QA_LACONIC_SYNC_TILE   ? tiles_act
                                                   : 1;
  ex->n_live = 0;
  for (int gi = 0; gi < ex->n_grp; gi++) {
    int col = gi % C;
    int64_t ng = single ? (ex->nwin > col ? (ex->nwin - col + C - 1) / C : 0) : ex->ngrp;
    ex->g_k[gi] = 0;
    ex->g_total[gi] = ng * ex->spw;
    ex->g_done[gi] = ng == 0;
    ex->g_fresh[gi] = 1;
    ex->g_busy[gi] = 0;
    ex->g_end[gi] = 0;
    ex->n_live += ng > 0;
  }
  memset(ex->acc, 0, (size_t)c->nf * C * sizeof(int64_t));
  ex->cy_eff = ex->cy_pe = 0;
  for (int col = 0; col < C; col++) ex->col_brick[col] = -1;
  ex->next_brick = 0;
}

/* Load lane operands of PE (j, window win) for brick step t: terms of both operands. */
static void load_lanes(QaExec *ex, Lane *ln, int j, int64_t win, int t) {
  const QaEngine *e = &ex->e;
  const QaLayer *l = e->l;
  int per_r = l->s * e->cb;
  int r = t / per_r, rem = t % per_r, s = rem / e->cb, b = rem % e->cb;
  int64_t off = (int64_t)s * e->cpad + (int64_t)b * e->lanes;
  const int32_t *a = qaEngineActRow(e, (int)(win / e->ow), (int)(win % e->ow), r) + off;
  const int32_t *w = qaEngineWgtRow(e, ex->cur->f0 + j, r) + off;
  for (int k = 0; k < e->lanes; k++) {
    ln[k].na = (uint8_t)qaTermsEncode(ex->enc, a[k], ln[k].a);
    ln[k].nw = (uint8_t)qaTermsEncode(ex->enc, w[k], ln[k].w);
    ln[k].n = (uint16_t)(ln[k].na * ln[k].nw);
    ln[k].k = 0;
  }
}

/* One cycle of PE PE's lanes: each lane with work left emits one term pair into the
** histogram, which is shifted, reduced and accumulated. Returns 1 if a lane has work
** left after this cycle. */
static int pe_cycle(QaExec *ex, int pe) {
  int L = ex->lanes, busy = 0;
  int32_t hist[HIST_N];
  Lane *ln = ex->lane + (int64_t)pe * L;
  memset(hist, 0, sizeof hist);
  for (int q = 0; q < L; q++) {
    Lane *x = &ln[q];
    if (x->k >= x->n) continue;
    int ia = x->k / x->nw, iw = x->k % x->nw;
    hist[x->a[ia].exp + x->w[iw].exp] += x->a[ia].sign * x->w[iw].sign; /* exponent add, one-hot count */
    x->k++;
    ex->cy_eff++;
    busy |= x->k < x->n;
  }
  int64_t sum = 0;
  for (int p = 0; p < HIST_N; p++) sum += (int64_t)hist[p] * ((int64_t)1 << p); /* shift and reduce */
  ex->acc[pe] += sum;
  ex->cy_pe++;
  return busy;
}

/* One clock of FC column multiplexing (engine.h qaFcMuxCycles): the next brick starts on
** its column if that column is free (at most one start per clock; every PE of the
** column loads its lanes), every busy column's PEs perform one cycle, and a column
** whose lanes are all done is free from the next clock. After the last brick the
** columns' accumulators are added into the outputs. */
static int tick_mux(QaExec *ex) {
  const QaChunk *c = ex->cur;
  int C = ex->cols, nc = ex->mux_cols, L = ex->lanes;
  if (ex->next_brick < ex->spw && ex->col_brick[ex->next_brick % nc] < 0) {
    int col = (int)(ex->next_brick % nc);
    ex->col_brick[col] = ex->next_brick++;
    for (int j = 0; j < c->nf; j++)
      load_lanes(ex, ex->lane + (int64_t)(j * C + col) * L, j, 0, (int)ex->col_brick[col]);
  }
  int any = 0;
  for (int col = 0; col < nc; col++) {
    if (ex->col_brick[col] < 0) continue;
    int busy = 0;
    for (int j = 0; j < c->nf; j++) busy |= pe_cycle(ex, j * C + col);
    if (busy)
      any = 1;
    else
      ex->col_brick[col] = -1;
  }
  if (any || ex->next_brick < ex->spw) return 1;
  for (int j = 0; j < c->nf; j++) {
    int64_t sum = 0;
    for (int col = 0; col < nc; col++) sum += ex->acc[j * C + col];
    put_output(ex, c, c->f0 + j, 0, 0, sum);
  }
  count_chunk(ex, c, ex->cy_eff, ex->cy_pe);
  return 0;
}

/* One clock: every PE whose sync group is in a step (and that has a window) performs one
** cycle (pe_cycle). A group whose lanes are all done finishes its step. Returns 0 after
** the chunk's last cycle. */
int qaLaconicTick(QaExec *ex) {
  if (ex->mux) return tick_mux(ex);
  const QaChunk *c = ex->cur;
  int C = ex->cols, L = ex->lanes, spw = ex->spw;
  for (int j = 0; j < c->nf; j++)
    for (int col = 0; col < C; col++) {
      int gi = group_of(ex, j, col);
      if (ex->g_done[gi]) continue;
      int64_t k = ex->g_k[gi], win = (k / spw) * C + col;
      if (win >= ex->nwin) continue;
      int pe = j * C + col;
      if (ex->g_fresh[gi]) load_lanes(ex, ex->lane + (int64_t)pe * L, j, win, (int)(k % spw));
      ex->g_busy[gi] |= (uint8_t)pe_cycle(ex, pe);
    }
  /* groups whose lanes are all done finish their step */
  int any_end = 0;
  for (int gi = 0; gi < ex->n_grp; gi++) {
    if (ex->g_done[gi]) continue;
    ex->g_fresh[gi] = 0;
    ex->g_end[gi] = !ex->g_busy[gi];
    ex->g_busy[gi] = 0;
    any_end |= ex->g_end[gi];
  }
  if (any_end) {
    for (int j = 0; j < c->nf; j++)
      for (int col = 0; col < C; col++) {
        int gi = group_of(ex, j, col);
        if (ex->g_done[gi] || !ex->g_end[gi] || ex->g_k[gi] % spw != spw - 1) continue;
        int64_t win = (ex->g_k[gi] / spw) * C + col;
        if (win >= ex->nwin) continue;
        int pe = j * C + col;
        put_output(ex, c, c->f0 + j, (int)(win / ex->e.ow), (int)(win % ex->e.ow), ex->acc[pe]);
        ex->acc[pe] = 0;
      }
    for (int gi = 0; gi < ex->n_grp; gi++) {
      if (ex->g_done[gi] || !ex->g_end[gi]) continue;
      ex->g_end[gi] = 0;
      ex->g_fresh[gi] = 1;
      if (++ex->g_k[gi] == ex->g_total[gi]) {
        ex->g_done[gi] = 1;
        ex->n_live--;
      }
    }
  }
  if (ex->n_live > 0) return 1;
  count_chunk(ex, c, ex->cy_eff, ex->cy_pe);
  return 0;
}

const QaArchDesc qaArchLaconic = {
    .name = "laconic",
    .summary =
        "Laconic term-serial PEs (both operands as signed 2^k terms, encoder booth4 by default): "
        "16 tiles x 16 filters x 16 windows x 16 lanes, terms(a) x terms(w) cycles per lane, sync scope "
        "parameter",
    .params = lac_params,
    .n_params = (int)(sizeof lac_params / sizeof lac_params[0]),
    .spec_size = sizeof(QaLaconicSpec),
    .check = qaLaconicCheck,
    .check_wgt = qaLaconicCheckWgt,
    QA_LACONIC_OPS,
};
