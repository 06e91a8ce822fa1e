/*
** pragmatic.c - Bit-Pragmatic: only the effectual bits (terms) of activations (Albericio et al., MICRO 2017).
**
** Same organisation as Stripes (stripes.c): a tile is `windows` columns (one output
** window each) x `filters_per_tile` rows (one filter each) of PEs with `lanes` lanes;
** all tiles work on the same windows with their own filters. Activations are fed as
** lists of offsets, lowest first: the exponents of the terms of the magnitude |a| under
** the run's encoder - the one-bits (popcount, the default: "oneffsets"), or the
** Booth-recoded signed digits (booth4 / naf, the paper's improved encoding: fewer
** offsets, each with its own sign, exponents up to a_bits); a signed activation is fed
** as its magnitude's offsets plus a sign that negates the lane's terms (sign-magnitude;
** a code of -2^(p-1) is a single offset p-1). Weights stay bit-parallel (datapath_bits). Each cycle a lane
*consumes at
** most one offset o of its activation and adds +-(w << o) to its PE's sum through
** two-stage shifting: the column chooses a base shift, each lane's first-stage
** shifter adds o - base (at most 2^first_stage_bits - 1), the adder tree reduces the
** lanes and the second stage shifts the tree's sum by the base before accumulation.
**
** Per-cycle rule of one column in one step (the lanes of a column synchronise
** because they share one adder tree; all rows of a column see the same activations,
** so they take the same cycles):
**   each cycle, if any lane has a pending offset: base = the minimum pending offset
**   over the column's lanes; every lane whose next pending offset o satisfies
**   o <= base + 2^first_stage_bits - 1 consumes it; repeat until no offset is
**   pending. The step costs the number of such cycles, and 1 cycle if the column's
**   activations are all zero. With 2^first_stage_bits >= a_bits the window always
**   covers every pending offset, so a column costs max(1, most offsets of its
**   lanes); whatever the window, the minimum pending offset rises every cycle, so a
**   column never needs more than a_bits cycles (a_bits + 1 with signed digits; Pragmatic is never slower than
**   Stripes with the same tile geometry and precision). A wider window never costs
**   more cycles (a lane that is ahead only raises the base).
** Column synchronisation: steps of a chunk are (window group, r, s, brick) in order,
** windows grouped `windows` at a time (last group ragged; a column without a window
** in a step has nothing to do and finishes it at once). Column c starts step i at
**   S[c][i] = max(F[c][i-1], T[i - runahead - 1]),   F[c][i] = S[c][i] + cost[c][i],
** where T[j] = max over columns of F[c][j] (T[j] = 0 for j < 0), i.e. a column may
** run at most `runahead` steps ahead of the slowest column (per-column run-ahead
** registers hold the weight bricks); runahead 0 is lock-step: every step costs the
** max over its columns. The chunk costs T[last step]. Every tile processes the same
** windows with the same activations, so the tiles' step costs are identical and
** they advance in lock-step without waiting for each other.
**
** Two executions: the loosely-timed pass computes outputs with dot products and the
** cycles from a per-(image, pack) table of column costs per padded input pixel and
** brick (the cost depends only on the brick's activations), evaluating the formula
** above; the clocked tick runs the per-cycle process literally for every column,
** including the shifted adder-tree sums, over explicit lane state.
** Utilisation: peak_macs is the bit-parallel-equivalent peak at 16-bit activations,
** tiles x filters x windows x lanes / 16; effectual_terms counts (one-offset, filter)
** pairs of the layer's MACs and pe_util = effectual_terms / (tiles x filters x
** windows x lanes x cycles), at most 1 since a lane consumes one offset per cycle.
** Storage: activations at a_bits, weights and outputs at datapath_bits.
*/
#include <stdlib.h>
#include <string.h>

#include "arch/memory.h"

typedef struct QaPragmaticSpec {
  QaArchSpec base;      /* columns = PE columns per tile, one output window each */
  int datapath_bits;    /* weight width (bits) */
  int first_stage_bits; /* per-lane first-stage shift width (bits) */
  int runahead;         /* steps a column may run ahead of the slowest (0 = lock-step) */
} QaPragmaticSpec;

static const QaParam pra_params[] = {
    QA_P_TILES(16, "tiles working in lock-step on the same windows"),
    QA_P_ROWS(16, "PE rows per tile, one filter each"),
    QA_P_COLUMNS(16, "PE columns per tile, one output window each (paper: 16 [unverified])"),
    QA_P_LANES(16, "activation/weight pairs per PE (brick width)"),
    QA_P_FIELD(QaPragmaticSpec, datapath_bits, QA_PT_INT, 2, 16, 16, "bits",
               "weight width (bit-parallel side)"),
    QA_P_FIELD(QaPragmaticSpec, first_stage_bits, QA_PT_INT, 0, 16, 2, "bits",
               "per-lane first-stage shift width: a lane consumes an offset only within base .. base + "
               "2^bits - 1 of its column's base (paper: 2 [unverified])"),
    QA_P_FIELD(QaPragmaticSpec, runahead, QA_PT_INT, 0, 256, 1, "steps",
               "steps a column may run ahead of the slowest column of its tile (per-column run-ahead "
               "registers; 1 as in the group's simulator example, column_registers 1 [sim]); 0 = lock-step"),
    QA_P_ACC_BITS(48, "accumulator width (48 keeps 16-bit dot products exact)"),
    QA_P_CLOCK(606,
               "clock frequency (assumed: DaDianNao's 606 MHz at 28 nm; the paper's own figure is not "
               "verified)"),
    QA_P_RESHAPE,
    QA_P_FC_MULTIPLEX,
    QA_ONCHIP_PARAMS,
    QA_DRAM_PARAMS,
};

enum {
  PRA_SHIFTER = QA_C_COMMON,
  PRA_ADDER_TREE,
  PRA_SHIFTER2,
  PRA_ACC,
  PRA_RUNAHEAD,
  PRA_WREG,
  PRA_OFFSET,
  PRA_N
};

static const QaComponentDef pra_comps[PRA_N] = {
    QA_MEM_COMPONENTS,
    [PRA_SHIFTER] = {"shifter", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_SHIFTER,
                     "first stage: shifts a lane's weight by its offset minus the base"},
    [PRA_ADDER_TREE] = {"adder_tree", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_ADDER_TREE,
                        "reduces the lanes' shifted weights"},
    [PRA_SHIFTER2] = {"shifter2", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_SHIFTER,
                      "second stage: shifts the tree's sum by the column's base offset"},
    [PRA_ACC] = {"acc", QA_CAT_ACCUMULATION, QA_SCOPE_PE, QA_PRIM_ACCUMULATOR,
                 "accumulates the shifted sum into the output"},
    [PRA_RUNAHEAD] = {"runahead_reg", QA_CAT_MEMORY, QA_SCOPE_PE, QA_PRIM_REG_BANK,
                      "run-ahead registers: weight bricks a column may run ahead with"},
    [PRA_WREG] = {"wreg", QA_CAT_REGISTERS, QA_SCOPE_PE, QA_PRIM_REG,
                  "the PE's lanes bit-parallel weights, loaded once per brick step"},
    [PRA_OFFSET] = {"offset_gen", QA_CAT_REGISTERS, QA_SCOPE_TILE, QA_PRIM_REG,
                    "per column: the offset generators' state, the lanes activations' pending one-bits, "
                    "clocked every cycle the column works"},
};

/* First-stage shift amounts a lane can use with A_BITS-bit activations. */
static int firstStageRange(const QaPragmaticSpec *p, int a_bits) {
  int64_t win1 = (int64_t)1 << p->first_stage_bits;
  return win1 < a_bits ? (int)win1 : a_bits;
}

/* A PE: per lane a first-stage shifter of the dp-bit weight by 0 .. range-1 (range =
** min(2^first_stage_bits, a_bits)), an adder tree over the lanes (dp + range - 1 bits),
** a second-stage shifter of the tree's sum by the column base (0 .. a_bits-1) and an
** accumulator; with run-ahead, per PE a bank of `runahead` weight bricks; a register
** holding the lanes' weights for a step. A tile: columns x rows PEs and per column the
** offset generators' state (the lanes' 16-bit activations with the one-bits not yet
** consumed; their priority encoders are not listed); memories as Stripes'. */
static void pra_inventory(const QaArchConfig *cfg, int a_bits, int w_bits, QaInventory *inv) {
  const QaPragmaticSpec *p = QA_SPEC(cfg, QaPragmaticSpec);
  const QaArchSpec *s = &p->base;
  int dp = p->datapath_bits, range = firstStageRange(p, a_bits);
  int tree_in = dp + range - 1, lg = qaCeilLog2(s->lanes);
  int64_t ra_bytes = (int64_t)p->runahead * s->lanes * dp / 8;
  (void)w_bits;
  inv->tiles = s->tiles;
  inv->pes_per_tile = (int64_t)s->rows * s->columns;
  inv->n_comp = PRA_N;
  qaMemInventory(s, s->rows * s->lanes * dp, s->columns * s->lanes * 16, s->rows * dp, inv);
  inv->comp[PRA_SHIFTER] = (QaComponent){.count = s->lanes, .bits_a = dp, .n = range};
  inv->comp[PRA_ADDER_TREE] = (QaComponent){.count = 1, .bits_a = tree_in, .n = s->lanes};
  inv->comp[PRA_SHIFTER2] = (QaComponent){.count = 1, .bits_a = tree_in + lg, .n = a_bits};
  inv->comp[PRA_ACC] = (QaComponent){.count = 1, .bits_a = s->acc_bits};
  inv->comp[PRA_RUNAHEAD] = (QaComponent){
      .count = p->runahead > 0, .capacity_bytes = ra_bytes > 0 ? ra_bytes : 1, .access_bits = s->lanes * dp};
  inv->comp[PRA_WREG] = (QaComponent){.count = 1, .bits_a = s->lanes * dp};
  inv->comp[PRA_OFFSET] = (QaComponent){.count = s->columns, .bits_a = s->lanes * QA_BITS_MAX};
}

#define PRA_LANES_MAX 256

struct QaExec {
  QaEngine e;
  QaLayerStats *st;
  int tiles, fpt, cols, dp_bits, acc_bits, ra;
  int64_t win1; /* first-stage window: 2^first_stage_bits offsets */
  int s1_range; /* first-stage shift amounts actually possible: min(win1, a_bits) */
  int a_bits;
  const uint8_t *pc;    /* offsets (terms) of magnitudes 0..QA_TERMS_VMAX under the run's encoder */
  const uint32_t *pos;  /* their exponents as bit masks (quant/terms.h) */
  const uint32_t *negm; /* which of them are negative */
  int64_t n_win;        /* output windows per chunk (OH * OW) */
  int64_t n_groups;     /* window groups per chunk */
  int64_t spw;          /* brick steps per window: R * S * bricks */
  int n_col;            /* columns that ever have a window: min(windows, OH * OW) */
  int n_row;            /* rows that ever have a filter: min(rows, filters per pack) */
  int64_t *win_pix;     /* n_win: padded pixel index of each window's (r, s) = (0, 0) */
  int64_t *step_pix;    /* spw: pixel offset (r * wp + s) of step t */
  int *step_b;          /* spw: brick of step t */
  int64_t *pix_uses;    /* hp * wp: (window, r, s) triples that read each padded pixel */
  /* per (image, pack): everything that depends on the activations */
  int c_img, c_pack;   /* cached (image, pack), -1 if none */
  uint8_t *cost;       /* hp * wp * cb: cycles a column needs for brick b at a pixel, >= 1 */
  int64_t cyc;         /* cycles of every chunk of the cached (image, pack) */
  int64_t busy;        /* sum over (window, step) of the column costs */
  int64_t *eff_grp;    /* gpp: sum over MACs of one group's filter of the offsets of |a| */
  uint8_t *stepmax;    /* spw scratch */
  int64_t *fin, *ring; /* n_col finish times, runahead + 1 step maxima */
  int mux;             /* FC column multiplexing: the single window's bricks go to the columns in turn */
  int64_t *mux_cost;   /* spw: brick costs of a multiplexed pass */
  int64_t next_brick;  /* multiplexed, clocked: the next brick to start */
  /* clocked state */
  const QaChunk *cur;
  int64_t *done;        /* n_col: steps each column has finished */
  uint8_t *busy_col;    /* n_col: 1 while the column works on step done[c] */
  uint32_t *pend;       /* n_col x lanes: pending one-offsets of each lane (bit mask) */
  uint8_t *neg;         /* n_col x lanes: 1 if the lane's activation is negative */
  uint32_t *negt;       /* n_col x lanes: the negative terms of the lane's magnitude (bit mask) */
  int64_t *acc;         /* n_row x n_col output accumulators */
  int64_t *tree;        /* n_row adder-tree sums of one column's cycle */
  int *cl_lane, *cl_sh; /* lanes: the lanes consuming an offset this cycle, first-stage shift */
  uint8_t *cl_neg;      /* lanes: 1 if that lane's term is negative */
};

static double pra_peak(const QaArchConfig *cfg) {
  const QaArchSpec *s = &cfg->spec.base;
  return (double)s->tiles * s->rows * s->columns * s->lanes / 16.0;
}

/* Offsets beyond a_bits - 1 would not fit the offset encoding: every code must be
** representable (unsigned 0..2^p-1, or two's complement -2^(p-1)..2^(p-1)-1). */
static int pra_check(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err) {
  int dp = QA_SPEC(cfg, QaPragmaticSpec)->datapath_bits;
  if (job->w_bits > dp)
    return qaErrSet(err, QA_EUSER,
                    "layer '%s': %s has %d-bit weights and cannot run %d-bit weights; lower --w-bits "
                    "or raise datapath_bits",
                    job->layer->name, cfg->desc->name, dp, job->w_bits);
  return qaEngineCheckActCodes(cfg, job, "encodes each activation as that many one-offsets", err);
}

static void pra_free(QaExec *ex) {
  qaEngineFree(&ex->e);
  free(ex->win_pix);
  free(ex->step_pix);
  free(ex->step_b);
  free(ex->pix_uses);
  free(ex->cost);
  free(ex->eff_grp);
  free(ex->stepmax);
  free(ex->fin);
  free(ex->ring);
  free(ex->done);
  free(ex->busy_col);
  free(ex->pend);
  free(ex->neg);
  free(ex->negt);
  free(ex->cl_neg);
  free(ex->acc);
  free(ex->tree);
  free(ex->cl_lane);
  free(ex->cl_sh);
  free(ex->mux_cost);
  free(ex);
}

static int pra_begin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaExec **out,
                     QaErr *err) {
  QaExec *ex = qaCalloc(1, sizeof *ex, err);
  if (!ex) return QA_EINTERNAL;
  ex->st = st;
  const QaPragmaticSpec *sp = QA_SPEC(cfg, QaPragmaticSpec);
  ex->tiles = sp->base.tiles;
  ex->fpt = sp->base.rows;
  ex->cols = sp->base.columns;
  ex->dp_bits = sp->datapath_bits;
  ex->acc_bits = sp->base.acc_bits;
  ex->ra = sp->runahead;
  ex->win1 = (int64_t)1 << sp->first_stage_bits;
  ex->a_bits = job->a_bits;
  ex->s1_range = firstStageRange(sp, job->a_bits);
  ex->pc = qaTermsTable(job->encoder);
  ex->pos = qaTermsPosMask(job->encoder);
  ex->negm = qaTermsNegMask(job->encoder);
  ex->c_img = ex->c_pack = -1;
  int rc = qaEngineInit(&ex->e, cfg, job, sp->base.lanes, ex->tiles * ex->fpt, err);
  if (rc) {
    free(ex);
    return rc;
  }
  QaEngine *e = &ex->e;
  const QaLayer *l = job->layer;
  e->a_store_bits = ex->a_bits;
  e->w_store_bits = e->o_store_bits = ex->dp_bits;
  ex->n_win = qaEngineWindows(e);
  ex->n_groups = (ex->n_win + ex->cols - 1) / ex->cols;
  ex->spw = qaEngineStepsPerWindow(e);
  ex->mux = sp->base.fc_multiplex && ex->n_win == 1 && ex->cols > 1 && ex->spw > 1;
  int64_t used = ex->mux ? ex->spw : ex->n_win; /* windows, or bricks when multiplexed */
  ex->n_col = used < ex->cols ? (int)used : ex->cols;
  int kmax = e->gpp * e->kg;
  ex->n_row = e->rows < kmax ? e->rows : kmax;
  int L = e->lanes;
  int64_t npix = (int64_t)e->hp * e->wp;
  ex->win_pix = qaMalloc((size_t)ex->n_win * sizeof(int64_t), err);
  ex->step_pix = qaMalloc((size_t)ex->spw * sizeof(int64_t), err);
  ex->step_b = qaMalloc((size_t)ex->spw * sizeof(int), err);
  ex->pix_uses = qaCalloc((size_t)npix, sizeof(int64_t), err);
  ex->cost = qaMalloc((size_t)npix * e->cb, err);
  ex->eff_grp = qaCalloc((size_t)e->gpp, sizeof(int64_t), err);
  ex->stepmax = qaMalloc((size_t)ex->spw, err);
  ex->fin = qaCalloc((size_t)ex->n_col, sizeof(int64_t), err);
  ex->ring = qaCalloc((size_t)ex->ra + 1, sizeof(int64_t), err);
  ex->done = qaCalloc((size_t)ex->n_col, sizeof(int64_t), err);
  ex->busy_col = qaCalloc((size_t)ex->n_col, 1, err);
  ex->pend = qaCalloc((size_t)ex->n_col * L, sizeof(uint32_t), err);
  ex->neg = qaCalloc((size_t)ex->n_col * L, 1, err);
  ex->negt = qaCalloc((size_t)ex->n_col * L, sizeof(uint32_t), err);
  ex->cl_neg = qaCalloc((size_t)L, 1, err);
  ex->acc = qaCalloc((size_t)ex->n_row * ex->n_col, sizeof(int64_t), err);
  ex->tree = qaCalloc((size_t)ex->n_row, sizeof(int64_t), err);
  ex->cl_lane = qaCalloc((size_t)L, sizeof(int), err);
  ex->cl_sh = qaCalloc((size_t)L, sizeof(int), err);
  ex->mux_cost = qaCalloc((size_t)ex->spw, sizeof(int64_t), err);
  if (!ex->win_pix || !ex->step_pix || !ex->step_b || !ex->pix_uses || !ex->cost || !ex->eff_grp ||
      !ex->stepmax || !ex->fin || !ex->ring || !ex->done || !ex->busy_col || !ex->pend || !ex->neg ||
      !ex->acc || !ex->tree || !ex->cl_lane || !ex->cl_sh || !ex->mux_cost || !ex->negt || !ex->cl_neg ||
      !ex->pc) {
    pra_free(ex);
    return QA_EINTERNAL;
  }
  for (int64_t w = 0; w < ex->n_win; w++) {
    int oy = (int)(w / e->ow), ox = (int)(w % e->ow);
    ex->win_pix[w] = (int64_t)oy * l->stride_h * e->wp + (int64_t)ox * l->stride_w;
    for (int r = 0; r < l->r; r++)
      for (int s = 0; s < l->s; s++) ex->pix_uses[ex->win_pix[w] + (int64_t)r * e->wp + s]++;
  }
  for (int64_t t = 0; t < ex->spw; t++) {
    int per_r = l->s * e->cb;
    int r = (int)(t / per_r), rem = (int)(t % per_r);
    ex->step_pix[t] = (int64_t)r * e->wp + rem / e->cb;
    ex->step_b[t] = rem % e->cb;
  }
  st->macs = qaJobMacs(job);
  st->effectual_terms = 0;
  *out = ex;
  return QA_OK;
}

static int64_t pra_n_chunks(const QaExec *ex) { return ex->e.n_chunk; }

static inline uint32_t magnitude(int32_t v) { return v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v; }

static inline int lowest_bit(uint32_t x) { return __builtin_ctz(x); }

/* Bit mask of the offsets a lane may consume in a cycle whose base is `base`. */
static inline uint32_t window_mask(int base, int64_t win1) {
  return base + win1 >= 32 ? ~0u : ((uint32_t)1 << (base + win1)) - 1u;
}

/* Cycles one column needs for the `lanes` activations at a (the per-cycle rule of
** the header, evaluated on bit masks). */
static int column_cycles(const int32_t *a, int lanes, int64_t win1, const uint8_t *pc, const uint32_t *pos) {
  uint32_t pend[PRA_LANES_MAX];
  uint32_t any = 0;
  int most = 0;
  for (int l = 0; l < lanes; l++) {
    uint32_t m = magnitude(a[l]);
    pend[l] = pos[m];
    any |= pend[l];
    most = pc[m] > most ? pc[m] : most;
  }
  if (!any) return 1;
  /* every offset lies within the first window: no lane ever waits for the base */
  if (31 - __builtin_clz(any) - lowest_bit(any) < win1) return most;
  int cycles = 0;
  while (any) {
    uint32_t lim = window_mask(lowest_bit(any), win1), next = 0;
    for (int l = 0; l < lanes; l++) {
      uint32_t p = pend[l];
      if (p & lim) p &= p - 1;
      pend[l] = p;
      next |= p;
    }
    any = next;
    cycles++;
  }
  return cycles;
}

/* Column cost of window w's column at step t, from the cached table. */
static inline int step_cost(const QaExec *ex, int64_t w, int64_t t) {
  return ex->cost[(ex->win_pix[w] + ex->step_pix[t]) * ex->e.cb + ex->step_b[t]];
}

/* Cycles of one chunk of the loaded (image, pack) by the synchronisation formula. */
static int64_t sync_cycles(QaExec *ex) {
  int64_t total = 0;
  if (ex->ra == 0) {
    for (int64_t g = 0; g < ex->n_groups; g++) {
      int64_t w0 = g * ex->cols;
      int nw = (int)(ex->n_win - w0 < ex->cols ? ex->n_win - w0 : ex->cols);
      memset(ex->stepmax, 0, (size_t)ex->spw);
      for (int c = 0; c < nw; c++) {
        const uint8_t *cp = ex->cost + ex->win_pix[w0 + c] * ex->e.cb;
        for (int64_t t = 0; t < ex->spw; t++) {
          uint8_t v = cp[ex->step_pix[t] * ex->e.cb + ex->step_b[t]];
          if (v > ex->stepmax[t]) ex->stepmax[t] = v;
        }
      }
      for (int64_t t = 0; t < ex->spw; t++) total += ex->stepmax[t];
    }
    return total;
  }
  int64_t nring = ex->ra + 1, i = 0, last = 0;
  memset(ex->fin, 0, (size_t)ex->n_col * sizeof(int64_t));
  for (int64_t g = 0; g < ex->n_groups; g++) {
    int64_t w0 = g * ex->cols;
    int nw = (int)(ex->n_win - w0 < ex->cols ? ex->n_win - w0 : ex->cols);
    for (int64_t t = 0; t < ex->spw; t++, i++) {
      int64_t slot = i % nring;
      int64_t lim = i >= nring ? ex->ring[slot] : 0; /* T[i - runahead - 1] */
      int64_t tmax = 0;
      for (int c = 0; c < ex->n_col; c++) {
        int64_t start = ex->fin[c] > lim ? ex->fin[c] : lim;
        ex->fin[c] = start + (c < nw ? step_cost(ex, w0 + c, t) : 0);
        tmax = ex->fin[c] > tmax ? ex->fin[c] : tmax;
      }
      ex->ring[slot] = tmax;
      last = tmax;
    }
  }
  return last;
}

/* Make chunk c's operands loaded and the activation-dependent tables current. */
static void load_chunk(QaExec *ex, const QaChunk *c) {
  QaEngine *e = &ex->e;
  qaEngineLoad(e, c);
  if (ex->c_img == e->cur_img && ex->c_pack == e->cur_pack) return;
  int L = e->lanes, cb = e->cb;
  int64_t npix = (int64_t)e->hp * e->wp;
  int ng = (e->kf + e->kg - 1) / e->kg;
  memset(ex->eff_grp, 0, (size_t)e->gpp * sizeof(int64_t));
  ex->busy = 0;
  for (int64_t p = 0; p < npix; p++) {
    const int32_t *a = e->act + p * e->cpad;
    int64_t uses = ex->pix_uses[p], csum = 0;
    for (int b = 0; b < cb; b++) {
      int v = column_cycles(a + (int64_t)b * L, L, ex->win1, ex->pc, ex->pos);
      ex->cost[p * cb + b] = (uint8_t)v;
      csum += v;
    }
    ex->busy += uses * csum;
    if (!uses) continue;
    for (int gl = 0; gl < ng; gl++) {
      int64_t ones = 0;
      for (int ci = 0; ci < e->cg; ci++) ones += ex->pc[magnitude(a[gl * e->cg + ci])];
      ex->eff_grp[gl] += uses * ones;
    }
  }
  if (ex->mux) { /* the single window's bricks dealt to the columns */
    for (int64_t t = 0; t < ex->spw; t++) ex->mux_cost[t] = step_cost(ex, 0, t);
    ex->cyc = qaFcMuxCycles(ex->mux_cost, ex->spw, ex->n_col, ex->fin); /* n_col = min(cols, bricks) */
  } else {
    ex->cyc = sync_cycles(ex);
  }
  ex->c_img = e->cur_img;
  ex->c_pack = e->cur_pack;
}

/* Action counts of one pass: identical in both timing modes. A PE is busy in the
** cycles its column works on a step (its own cost, not the cycles it waits for the
** other columns). Per busy PE-cycle: lanes first-stage shifts (datapath_bits wide,
** s1_range amounts), one adder-tree reduction, one second-stage shift by the base
** and one accumulation. Weights are read from the SB once per step and row (and,
** with run-ahead, written to and read from each column's run-ahead registers);
** each column's activation brick is read once per step. */
static void count_chunk(QaExec *ex, const QaChunk *c) {
  const QaEngine *e = &ex->e;
  QaLayerStats *st = ex->st;
  int dp = ex->dp_bits, L = e->lanes;
  int64_t steps = ex->n_groups * ex->spw;
  int64_t pe_cycles = ex->busy * c->nf;
  int64_t col_steps = ex->n_win * ex->spw;
  int64_t act_bits = col_steps * L * ex->a_bits;
  int64_t tiles_active = (c->nf + ex->fpt - 1) / ex->fpt;
  st->n_steps += steps;
  for (int f = c->f0; f < c->f0 + c->nf; f++) st->effectual_terms += ex->eff_grp[f / e->kg];
  qaCount(st, PRA_SHIFTER, QA_ACT_OP, pe_cycles * L);
  qaCount(st, PRA_ADDER_TREE, QA_ACT_OP, pe_cycles);
  qaCount(st, PRA_SHIFTER2, QA_ACT_OP, pe_cycles);
  qaCount(st, PRA_ACC, QA_ACT_OP, pe_cycles);
  qaCount(st, PRA_WREG, QA_ACT_OP, col_steps * c->nf); /* registers: once per step, every busy cycle */
  qaCount(st, PRA_OFFSET, QA_ACT_OP, ex->busy * tiles_active);
  /* multiplexed: the columns' partial sums of each filter are added at the end */
  if (ex->mux) qaCount(st, PRA_ACC, QA_ACT_OP, (int64_t)(ex->n_col - 1) * c->nf);
  qaEngineCountBuffers(st, act_bits, tiles_active, steps * c->nf * L * dp, ex->n_win * c->nf * dp);
  if (ex->ra > 0) {
    qaCount(st, PRA_RUNAHEAD, QA_ACT_WRITE_BITS, col_steps * c->nf * L * dp);
    qaCount(st, PRA_RUNAHEAD, QA_ACT_READ_BITS, col_steps * c->nf * L * dp);
  }
}

static inline void put_output(QaExec *ex, const QaChunk *c, int f, int64_t win, int64_t exact) {
  qaEnginePut(&ex->e, ex->acc_bits, &ex->st->acc_overflows, c->img, f, (int)(win / ex->e.ow),
              (int)(win % ex->e.ow), exact);
}

/* The shifted one-offset sums equal the products, so the loosely-timed pass
** computes plain dot products; its cycles come from the cached column costs. */
static int64_t pra_run_chunk(QaExec *ex, int64_t i) {
  QaEngine *e = &ex->e;
  const QaChunk *c = &e->chunks[i];
  load_chunk(ex, c);
  count_chunk(ex, c);
  qaEnginePassDots(e, c, ex->acc_bits, &ex->st->acc_overflows);
  return ex->cyc;
}

static void pra_start_chunk(QaExec *ex, int64_t i) {
  QaEngine *e = &ex->e;
  ex->cur = &e->chunks[i];
  load_chunk(ex, ex->cur);
  count_chunk(ex, ex->cur);
  memset(ex->done, 0, (size_t)ex->n_col * sizeof(int64_t));
  memset(ex->busy_col, 0, (size_t)ex->n_col);
  memset(ex->acc, 0, (size_t)ex->n_row * ex->n_col * sizeof(int64_t));
  ex->next_brick = 0;
}

/* Load the activations of window W's brick step T into column COL's lanes. */
static void load_column(QaExec *ex, int col, int64_t w, int64_t t) {
  const QaEngine *e = &ex->e;
  int L = e->lanes;
  const int32_t *a = e->act + (ex->win_pix[w] + ex->step_pix[t]) * e->cpad + (int64_t)ex->step_b[t] * L;
  for (int l = 0; l < L; l++) {
    ex->pend[(size_t)col * L + l] = ex->pos[magnitude(a[l])];
    ex->negt[(size_t)col * L + l] = ex->negm[magnitude(a[l])];
    ex->neg[(size_t)col * L + l] = a[l] < 0;
  }
}

/* Start every step a column is allowed to start now: column c's next step is
** done[c]; it may start once every column has finished step done[c] - runahead - 1.
** A column without a window in that step finishes it at once, which may allow
** others to start, so repeat until nothing changes. */
static void start_steps(QaExec *ex, int64_t n_step) {
  for (;;) {
    int64_t mc = n_step;
    for (int c = 0; c < ex->n_col; c++) mc = ex->done[c] < mc ? ex->done[c] : mc;
    int changed = 0;
    for (int c = 0; c < ex->n_col; c++) {
      int64_t i = ex->done[c];
      if (ex->busy_col[c] || i >= n_step || i > mc + ex->ra) continue;
      int64_t w = i / ex->spw * ex->cols + c, t = i % ex->spw;
      if (w >= ex->n_win) {
        ex->done[c]++;
        changed = 1;
        continue;
      }
      load_column(ex, c, w, t);
      ex->busy_col[c] = 1;
    }
    if (!changed) return;
  }
}

/* One cycle of column COL working on brick step T (its lanes' pending offsets in
** pend/neg): the lanes within the window consume their lowest pending offset, the
** first stage shifts each weight by offset - base, the adder tree sums, the second
** stage shifts by base into the column's accumulators. Returns 1 if offsets remain
** (the step goes on), 0 if the step is finished after this cycle. */
static int column_cycle(QaExec *ex, int col, int64_t t) {
  QaEngine *e = &ex->e;
  const QaChunk *c = ex->cur;
  int L = e->lanes;
  uint32_t *pend = ex->pend + (size_t)col * L;
  const uint8_t *neg = ex->neg + (size_t)col * L;
  const uint32_t *negt = ex->negt + (size_t)col * L;
  uint32_t any = 0;
  for (int l = 0; l < L; l++) any |= pend[l];
  if (!any) return 0;
  int base = lowest_bit(any), n_cl = 0;
  uint32_t lim = window_mask(base, ex->win1);
  any = 0;
  for (int l = 0; l < L; l++) {
    if (pend[l] & lim) {
      int o = lowest_bit(pend[l]);
      ex->cl_lane[n_cl] = l;
      ex->cl_neg[n_cl] = (uint8_t)(neg[l] ^ ((negt[l] >> o) & 1u));
      ex->cl_sh[n_cl++] = o - base;
      pend[l] &= pend[l] - 1;
    }
    any |= pend[l];
  }
  int r = (int)(ex->step_pix[t] / e->wp), s = (int)(ex->step_pix[t] % e->wp);
  int64_t off = (int64_t)s * e->cpad + (int64_t)ex->step_b[t] * L;
  for (int f = 0; f < c->nf; f++) {
    const int32_t *wt = qaEngineWgtRow(e, c->f0 + f, r) + off;
    int64_t tree = 0;
    for (int k = 0; k < n_cl; k++) {
      int64_t term = (int64_t)wt[ex->cl_lane[k]] * ((int64_t)1 << ex->cl_sh[k]);
      tree += ex->cl_neg[k] ? -term : term;
    }
    ex->acc[(size_t)f * ex->n_col + col] += tree * ((int64_t)1 << base);
  }
  return any != 0;
}

/* One clock of FC column multiplexing (engine.h qaFcMuxCycles): the next brick starts
** on its column if that column is free (at most one start per clock), every busy column
** performs one cycle of its brick; after the last brick the columns' accumulators are
** added into the outputs. done[c] holds the brick a busy column works on. */
static int pra_tick_mux(QaExec *ex) {
  const QaChunk *c = ex->cur;
  int nc = ex->n_col;
  if (ex->next_brick < ex->spw && !ex->busy_col[ex->next_brick % nc]) {
    int col = (int)(ex->next_brick % nc);
    load_column(ex, col, 0, ex->next_brick);
    ex->done[col] = ex->next_brick++;
    ex->busy_col[col] = 1;
  }
  int busy = 0;
  for (int col = 0; col < nc; col++) {
    if (!ex->busy_col[col]) continue;
    if (column_cycle(ex, col, ex->done[col]))
      busy = 1;
    else
      ex->busy_col[col] = 0;
  }
  if (busy || ex->next_brick < ex->spw) return 1;
  for (int f = 0; f < c->nf; f++) {
    int64_t sum = 0;
    for (int col = 0; col < nc; col++) sum += ex->acc[(size_t)f * nc + col];
    put_output(ex, c, c->f0 + f, 0, sum);
  }
  return 0;
}

/* One clock: every busy column performs one cycle of the per-cycle rule for all its
** rows (column_cycle). Returns 0 after the chunk's last cycle. */
static int pra_tick(QaExec *ex) {
  if (ex->mux) return pra_tick_mux(ex);
  const QaChunk *c = ex->cur;
  int64_t n_step = ex->n_groups * ex->spw;
  start_steps(ex, n_step);
  for (int col = 0; col < ex->n_col; col++) {
    if (!ex->busy_col[col]) continue;
    int64_t i = ex->done[col];
    int64_t w = i / ex->spw * ex->cols + col, t = i % ex->spw;
    if (column_cycle(ex, col, t)) continue;
    /* step finished after this cycle */
    ex->busy_col[col] = 0;
    ex->done[col]++;
    if (t == ex->spw - 1)
      for (int f = 0; f < c->nf; f++) {
        int64_t *a = &ex->acc[(size_t)f * ex->n_col + col];
        put_output(ex, c, c->f0 + f, w, *a);
        *a = 0;
      }
  }
  /* finished when every column is done or has only window-less steps left
  ** (those finish at once) */
  int64_t last_group = (ex->n_groups - 1) * ex->spw;
  int nw_last = (int)(ex->n_win - (ex->n_groups - 1) * ex->cols);
  for (int col = 0; col < ex->n_col; col++)
    if (ex->done[col] < n_step && !(col >= nw_last && ex->done[col] >= last_group)) return 1;
  return 0;
}

static void pra_end(QaExec *ex, int64_t n_cycles) {
  if (!ex) return;
  QaLayerStats *st = ex->st;
  double lanes_total = (double)ex->tiles * ex->fpt * ex->cols * ex->e.lanes;
  st->pe_util = n_cycles > 0 ? (double)st->effectual_terms / (lanes_total * (double)n_cycles) : 0;
  pra_free(ex);
}

static const QaEngine *pra_engine(const QaExec *ex) { return &ex->e; }

const QaArchDesc qaArchPragmatic = {
    .name = "pragmatic",
    .summary =
        "Bit-Pragmatic: activations as one-offsets, bit-parallel weights, 16 tiles x 16 filters x "
        "16 windows x 16 lanes, two-stage shifting, optional run-ahead",
    .params = pra_params,
    .n_params = (int)(sizeof pra_params / sizeof pra_params[0]),
    .spec_size = sizeof(QaPragmaticSpec),
    .comps = pra_comps,
    .n_comps = PRA_N,
    .inventory = pra_inventory,
    .check = pra_check,
    .begin = pra_begin,
    .n_chunks = pra_n_chunks,
    .run_chunk = pra_run_chunk,
    .start_chunk = pra_start_chunk,
    .tick = pra_tick,
    .end = pra_end,
    .peak_macs = pra_peak,
    .engine = pra_engine,
    .encoder = "popcount",
};
