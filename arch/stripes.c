/*
** stripes.c - Stripes: bit-serial activations, bit-parallel weights (Judd et al., MICRO 2016).
**
** A tile is `windows` columns (one output window each) x `filters_per_tile` rows (one
** filter each) of serial inner-product units (SIPs); every SIP has `lanes` lanes. All
** tiles work on the same windows (each on its own filters), so the array holds
** rows = tiles x filters_per_tile filters of a pass, like DaDianNao, and additionally
** `windows` windows at once. A SIP takes one bit of each of its `lanes` activations per
** cycle, ANDs it with the lane's bit-parallel weight (datapath_bits wide), reduces the
** lanes with an adder tree and shift-accumulates: most significant bit first,
**   sip = 2 * sip + sum over lanes of (bit_j(a) ? w : 0),
** and for signed (two's complement) activations the most significant bit is
** subtracted instead of added, so a signed layer still takes a_bits cycles.
**
** Cycle rule: a chunk (image, pack, pass of the engine) visits its OH*OW windows in
** groups of `windows` consecutive windows (row-major; the last group may be ragged);
** a step is (window group, r, s, brick) and costs p_a cycles, p_a = the layer's
** activation precision (job->a_bits), whatever the values:
**   chunk cycles = ceil(OH*OW / windows) * R * S * bricks * p_a.
** All tiles see the same steps, so they advance in lock-step without waiting.
**
** Two executions of the same datapath:
**   loosely timed: str_run_chunk computes the pass's outputs with plain dot products
**     (exactly equal to the serial sum) and returns the rule's cycle count;
**   clocked: str_tick processes one activation bit of one step per call, for every
**     lane of every active column and row, over explicit SIP state.
** Utilisation: peak_macs is the bit-parallel-equivalent peak at 16-bit activations,
** tiles x filters x windows x lanes / 16 MACs per cycle; pe_util is useful lane-bit-
** cycles (MACs x p_a: every bit of every real product) over provided lane-bit-cycles
** (tiles x filters x windows x lanes x cycles), which is at most 1.
** Storage: activations are kept at p_a bits (the serial form reads exactly the bits
** used), weights and outputs at datapath_bits.
*/
#include <stdlib.h>
#include <string.h>

#include "arch/memory.h"

typedef struct QaStripesSpec {
  QaArchSpec base;   /* columns = SIP columns per tile, one output window each */
  int datapath_bits; /* weight width of the bit-parallel side of a SIP (bits) */
} QaStripesSpec;

static const QaParam str_params[] = {
    QA_P_TILES(16, "tiles working in lock-step on the same windows"),
    QA_P_ROWS(16, "SIP rows per tile, one filter each"),
    QA_P_COLUMNS(16,
                 "SIP columns per tile, one output window each (16 matches DaDianNao's 16-bit throughput "
                 "[unverified])"),
    QA_P_LANES(16, "activation/weight pairs per SIP (brick width)"),
    QA_P_FIELD(QaStripesSpec, datapath_bits, QA_PT_INT, 2, 16, 16, "bits",
               "weight width of the bit-parallel side of a SIP"),
    QA_P_ACC_BITS(48, "accumulator width (48 keeps 16-bit dot products exact)"),
    QA_P_CLOCK(606,
               "clock frequency (assumed: DaDianNao's 606 MHz at 28 nm; the paper's own figure is not "
               "verified)"),
    QA_P_RESHAPE,
    QA_P_FC_MULTIPLEX,
    QA_ONCHIP_PARAMS,
    QA_DRAM_PARAMS,
};

enum { STR_AND = QA_C_COMMON, STR_ADDER_TREE, STR_ACC, STR_WREG, STR_SHIFT, STR_N };

static const QaComponentDef str_comps[STR_N] = {
    QA_MEM_COMPONENTS,
    [STR_AND] = {"and", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_AND_GATES,
                 "one row of dp AND gates per lane: activation bit x bit-parallel weight"},
    [STR_ADDER_TREE] = {"adder_tree", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_ADDER_TREE,
                        "reduces the lanes' AND rows (dp-bit inputs)"},
    [STR_ACC] = {"acc", QA_CAT_ACCUMULATION, QA_SCOPE_PE, QA_PRIM_ACCUMULATOR,
                 "shift-accumulates the tree's sum, one activation bit per cycle"},
    [STR_WREG] = {"wreg", QA_CAT_REGISTERS, QA_SCOPE_PE, QA_PRIM_REG,
                  "the SIP's lanes bit-parallel weights, loaded once per brick step and held for its p_a "
                  "cycles"},
    [STR_SHIFT] = {"shift_reg", QA_CAT_REGISTERS, QA_SCOPE_TILE, QA_PRIM_REG,
                   "per column: the lanes activations' serial shift register, one bit out per lane per "
                   "cycle"},
};

/* A PE is a serial inner-product unit (SIP): `lanes` rows of datapath_bits AND gates (1
** activation bit x a bit-parallel weight), an adder tree over the lanes (dp-bit inputs)
** and a shift-accumulator (the x2 shift is wiring), with a register holding the lanes'
** weights for a step. A tile: columns x rows SIPs and per column the shift register that
** serialises the lanes' activations (built for 16-bit activations); memories as
** DaDianNao's, NBin/NM read one bit per lane per window column. */
static void str_inventory(const QaArchConfig *cfg, int a_bits, int w_bits, QaInventory *inv) {
  const QaStripesSpec *p = QA_SPEC(cfg, QaStripesSpec);
  const QaArchSpec *s = &p->base;
  int dp = p->datapath_bits;
  (void)a_bits, (void)w_bits;
  inv->tiles = s->tiles;
  inv->pes_per_tile = (int64_t)s->rows * s->columns;
  inv->n_comp = STR_N;
  qaMemInventory(s, s->rows * s->lanes * dp, s->columns * s->lanes, s->rows * dp, inv);
  inv->comp[STR_AND] = (QaComponent){.count = s->lanes, .n = dp};
  inv->comp[STR_ADDER_TREE] = (QaComponent){.count = 1, .bits_a = dp, .n = s->lanes};
  inv->comp[STR_ACC] = (QaComponent){.count = 1, .bits_a = s->acc_bits};
  inv->comp[STR_WREG] = (QaComponent){.count = 1, .bits_a = s->lanes * dp};
  inv->comp[STR_SHIFT] = (QaComponent){.count = s->columns, .bits_a = s->lanes * QA_BITS_MAX};
}

struct QaExec {
  QaEngine e;
  QaLayerStats *st;
  int tiles, fpt, cols, dp_bits, acc_bits;
  int p;            /* serial activation precision: cycles per step */
  int a_signed;     /* the most significant activation bit weighs -2^(p-1) */
  int64_t n_win;    /* output windows per chunk (OH * OW) */
  int64_t n_groups; /* window groups per chunk */
  int64_t spw;      /* brick steps per window: R * S * bricks */
  int mux;          /* FC column multiplexing: the single window's bricks go to the columns in turn */
  /* clocked state */
  const QaChunk *cur;
  int64_t g;              /* window group */
  int64_t t;              /* brick step within the group */
  int k;                  /* bit cycle within the step (0: most significant bit) */
  int acc_rows, acc_cols; /* SIPs that can ever be active: min(rows, filters), min(windows, OH*OW) */
  int64_t *acc;           /* acc_rows x acc_cols output accumulators */
  int64_t *sip;           /* acc_rows x acc_cols serial sums of the current step */
  /* clocked state of FC column multiplexing */
  int64_t *col_brick; /* acc_cols: brick (step) each column works on, -1 if idle */
  int *col_k;         /* acc_cols: bit cycle within its brick */
  int64_t next_brick; /* the next brick to start */
};

static double str_peak(const QaArchConfig *cfg) {
  const QaArchSpec *s = &cfg->spec.base;
  return (double)s->tiles * s->rows * s->columns * s->lanes / 16.0;
}

/* The serial datapath sees exactly a_bits bits of each activation: every code must
** be representable (unsigned 0..2^p-1, or two's complement -2^(p-1)..2^(p-1)-1). */
static int str_check(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err) {
  int dp = QA_SPEC(cfg, QaStripesSpec)->datapath_bits;
  if (job->w_bits > dp)
    return qaErrSet(err, QA_EUSER,
                    "layer '%s': %s has %d-bit weights and cannot run %d-bit weights; lower --w-bits "
                    "or raise datapath_bits",
                    job->layer->name, cfg->desc->name, dp, job->w_bits);
  return qaEngineCheckActCodes(cfg, job, "processes exactly that many bits of each activation, serially",
                               err);
}

static int str_begin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaExec **out,
                     QaErr *err) {
  QaExec *ex = qaCalloc(1, sizeof *ex, err);
  if (!ex) return QA_EINTERNAL;
  ex->st = st;
  const QaStripesSpec *sp = QA_SPEC(cfg, QaStripesSpec);
  ex->tiles = sp->base.tiles;
  ex->fpt = sp->base.rows;
  ex->cols = sp->base.columns;
  ex->dp_bits = sp->datapath_bits;
  ex->acc_bits = sp->base.acc_bits;
  ex->p = job->a_bits;
  ex->a_signed = job->a_signed != 0;
  int rc = qaEngineInit(&ex->e, cfg, job, sp->base.lanes, ex->tiles * ex->fpt, err);
  if (rc) {
    free(ex);
    return rc;
  }
  QaEngine *e = &ex->e;
  e->a_store_bits = ex->p;
  e->w_store_bits = e->o_store_bits = ex->dp_bits;
  ex->n_win = qaEngineWindows(e);
  ex->n_groups = (ex->n_win + ex->cols - 1) / ex->cols;
  ex->spw = qaEngineStepsPerWindow(e);
  ex->mux = sp->base.fc_multiplex && ex->n_win == 1 && ex->cols > 1 && ex->spw > 1;
  int kmax = e->gpp * e->kg;
  ex->acc_rows = e->rows < kmax ? e->rows : kmax;
  int64_t used = ex->mux ? ex->spw : ex->n_win; /* windows, or bricks when multiplexed */
  ex->acc_cols = used < ex->cols ? (int)used : ex->cols;
  size_t n = (size_t)ex->acc_rows * ex->acc_cols;
  ex->acc = qaCalloc(n, sizeof(int64_t), err);
  ex->sip = qaCalloc(n, sizeof(int64_t), err);
  ex->col_brick = qaCalloc((size_t)ex->acc_cols, sizeof(int64_t), err);
  ex->col_k = qaCalloc((size_t)ex->acc_cols, sizeof(int), err);
  if (!ex->acc || !ex->sip || !ex->col_brick || !ex->col_k) {
    free(ex->acc);
    free(ex->sip);
    free(ex->col_brick);
    free(ex->col_k);
    qaEngineFree(e);
    free(ex);
    return QA_EINTERNAL;
  }
  st->macs = qaJobMacs(job);
  st->effectual_terms = -1;
  *out = ex;
  return QA_OK;
}

static int64_t str_n_chunks(const QaExec *ex) { return ex->e.n_chunk; }

static int64_t chunk_cycles(const QaExec *ex) {
  if (ex->mux) return qaFcMuxCyclesUniform(ex->spw, ex->cols, ex->p);
  return ex->n_groups * ex->spw * ex->p;
}

/* Action counts of one pass: identical in both timing modes. A SIP is active in a
** cycle when its column has a window and its row a filter. Per active SIP-cycle:
** lanes 1 x datapath_bits AND operations, one adder-tree reduction of
** datapath_bits-wide inputs and one shift-accumulate. Weights are read from the SB
** once per step and row and held for the step's p_a cycles; activations are read
** one bit per lane per cycle. */
static void count_chunk(QaExec *ex, const QaChunk *c) {
  const QaEngine *e = &ex->e;
  QaLayerStats *st = ex->st;
  int dp = ex->dp_bits, L = e->lanes;
  int64_t steps = ex->n_groups * ex->spw;
  int64_t sip_cycles = ex->n_win * ex->spw * ex->p * c->nf;
  int64_t act_bits = ex->n_win * ex->spw * L * ex->p;
  int64_t tiles_active = (c->nf + ex->fpt - 1) / ex->fpt;
  st->n_steps += steps;
  qaCount(st, STR_AND, QA_ACT_OP, sip_cycles * L);
  qaCount(st, STR_ADDER_TREE, QA_ACT_OP, sip_cycles);
  qaCount(st, STR_ACC, QA_ACT_OP, sip_cycles);
  qaCount(st, STR_WREG, QA_ACT_OP, sip_cycles / ex->p); /* registers: once per step, every cycle */
  qaCount(st, STR_SHIFT, QA_ACT_OP, ex->n_win * ex->spw * ex->p * tiles_active);
  /* multiplexed: the columns' partial sums of each filter are added at the end */
  if (ex->mux) qaCount(st, STR_ACC, QA_ACT_OP, (int64_t)(ex->acc_cols - 1) * c->nf);
  qaEngineCountBuffers(st, act_bits, tiles_active, steps * c->nf * L * dp, ex->n_win * c->nf * dp);
}

static inline void put_output(QaExec *ex, const QaChunk *c, int f, int oy, int ox, int64_t exact) {
  qaEnginePut(&ex->e, ex->acc_bits, &ex->st->acc_overflows, c->img, f, oy, ox, exact);
}

/* The serial sum over an activation's bits equals its product with the weight, so
** the loosely-timed pass computes plain dot products. */
static int64_t str_run_chunk(QaExec *ex, int64_t i) {
  QaEngine *e = &ex->e;
  const QaChunk *c = &e->chunks[i];
  qaEngineLoad(e, c);
  count_chunk(ex, c);
  qaEnginePassDots(e, c, ex->acc_bits, &ex->st->acc_overflows);
  return chunk_cycles(ex);
}

static void str_start_chunk(QaExec *ex, int64_t i) {
  QaEngine *e = &ex->e;
  ex->cur = &e->chunks[i];
  qaEngineLoad(e, ex->cur);
  count_chunk(ex, ex->cur);
  ex->g = ex->t = 0;
  ex->k = 0;
  size_t n = (size_t)ex->acc_rows * ex->acc_cols;
  memset(ex->acc, 0, n * sizeof(int64_t));
  memset(ex->sip, 0, n * sizeof(int64_t));
  for (int col = 0; col < ex->acc_cols; col++) ex->col_brick[col] = -1;
  ex->next_brick = 0;
}

/* One clock of FC column multiplexing (engine.h qaFcMuxCycles): the next brick starts on
** its column if that column is free (at most one start per clock), then every busy
** column feeds one activation bit of its brick to its SIPs; a column whose brick is
** done adds its serial sums into its accumulators and is free from the next clock. After
** the last brick the columns' accumulators are added into the outputs. */
static int str_tick_mux(QaExec *ex) {
  QaEngine *e = &ex->e;
  const QaChunk *c = ex->cur;
  int L = e->lanes, ac = ex->acc_cols;
  if (ex->next_brick < ex->spw && ex->col_brick[ex->next_brick % ac] < 0) {
    ex->col_brick[ex->next_brick % ac] = ex->next_brick;
    ex->col_k[ex->next_brick % ac] = 0;
    ex->next_brick++;
  }
  int busy = 0;
  for (int col = 0; col < ac; col++) {
    int64_t t = ex->col_brick[col];
    if (t < 0) continue;
    int per_r = e->l->s * e->cb, r = (int)(t / per_r), rem = (int)(t % per_r);
    int64_t off = (int64_t)(rem / e->cb) * e->cpad + (int64_t)(rem % e->cb) * L;
    const int32_t *a = qaEngineActRow(e, 0, 0, r) + off;
    int j = ex->p - 1 - ex->col_k[col], neg = ex->a_signed && j == ex->p - 1;
    for (int f = 0; f < c->nf; f++) {
      const int32_t *w = qaEngineWgtRow(e, c->f0 + f, r) + off;
      int64_t tree = 0;
      for (int lane = 0; lane < L; lane++) tree += (((uint32_t)a[lane] >> j) & 1u) ? w[lane] : 0;
      int64_t *ps = &ex->sip[(size_t)f * ac + col];
      *ps = 2 * *ps + (neg ? -tree : tree);
    }
    if (++ex->col_k[col] == ex->p) { /* brick done */
      for (int f = 0; f < c->nf; f++) {
        size_t q = (size_t)f * ac + col;
        ex->acc[q] += ex->sip[q];
        ex->sip[q] = 0;
      }
      ex->col_brick[col] = -1;
    } else {
      busy = 1;
    }
  }
  if (busy || ex->next_brick < ex->spw) return 1;
  for (int f = 0; f < c->nf; f++) {
    int64_t sum = 0;
    for (int col = 0; col < ac; col++) sum += ex->acc[(size_t)f * ac + col];
    put_output(ex, c, c->f0 + f, 0, 0, sum);
  }
  return 0;
}

/* One clock: bit j (most significant first) of the current step's activations
** enters every active SIP: AND with the weights, adder tree, shift-accumulate.
** Returns 0 after the chunk's last cycle. */
static int str_tick(QaExec *ex) {
  if (ex->mux) return str_tick_mux(ex);
  QaEngine *e = &ex->e;
  const QaChunk *c = ex->cur;
  const QaLayer *l = e->l;
  int L = e->lanes, ac = ex->acc_cols;
  int per_r = l->s * e->cb;
  int r = (int)(ex->t / per_r), rem = (int)(ex->t % per_r);
  int s = rem / e->cb, b = rem % e->cb;
  int64_t off = (int64_t)s * e->cpad + (int64_t)b * L;
  int64_t w0 = ex->g * ex->cols;
  int nw = (int)(ex->n_win - w0 < ex->cols ? ex->n_win - w0 : ex->cols);
  int j = ex->p - 1 - ex->k;
  int neg = ex->a_signed && j == ex->p - 1;
  for (int col = 0; col < nw; col++) {
    int64_t win = w0 + col;
    const int32_t *a = qaEngineActRow(e, (int)(win / e->ow), (int)(win % e->ow), r) + off;
    for (int f = 0; f < c->nf; f++) {
      const int32_t *w = qaEngineWgtRow(e, c->f0 + f, r) + off;
      int64_t tree = 0;
      for (int lane = 0; lane < L; lane++) tree += (((uint32_t)a[lane] >> j) & 1u) ? w[lane] : 0;
      int64_t *ps = &ex->sip[(size_t)f * ac + col];
      *ps = 2 * *ps + (neg ? -tree : tree);
    }
  }
  if (++ex->k < ex->p) return 1;
  /* step done: the serial sums join the output accumulators */
  ex->k = 0;
  for (int f = 0; f < c->nf; f++)
    for (int col = 0; col < nw; col++) {
      size_t q = (size_t)f * ac + col;
      ex->acc[q] += ex->sip[q];
      ex->sip[q] = 0;
    }
  if (++ex->t < ex->spw) return 1;
  /* window group done */
  ex->t = 0;
  for (int col = 0; col < nw; col++) {
    int64_t win = w0 + col;
    for (int f = 0; f < c->nf; f++) {
      size_t q = (size_t)f * ac + col;
      put_output(ex, c, c->f0 + f, (int)(win / e->ow), (int)(win % e->ow), ex->acc[q]);
      ex->acc[q] = 0;
    }
  }
  return ++ex->g < ex->n_groups;
}

static void str_end(QaExec *ex, int64_t n_cycles) {
  if (!ex) return;
  QaLayerStats *st = ex->st;
  double lanes_total = (double)ex->tiles * ex->fpt * ex->cols * ex->e.lanes;
  st->pe_util = n_cycles > 0 ? (double)st->macs * ex->p / (lanes_total * (double)n_cycles) : 0;
  qaEngineFree(&ex->e);
  free(ex->acc);
  free(ex->sip);
  free(ex->col_brick);
  free(ex->col_k);
  free(ex);
}

static const QaEngine *str_engine(const QaExec *ex) { return &ex->e; }

const QaArchDesc qaArchStripes = {
    .name = "stripes",
    .summary =
        "Stripes bit-serial activations: 16 tiles x 16 filters x 16 windows x 16 lanes, a brick "
        "step costs the activation precision in cycles",
    .params = str_params,
    .n_params = (int)(sizeof str_params / sizeof str_params[0]),
    .spec_size = sizeof(QaStripesSpec),
    .comps = str_comps,
    .n_comps = STR_N,
    .inventory = str_inventory,
    .check = str_check,
    .begin = str_begin,
    .n_chunks = str_n_chunks,
    .run_chunk = str_run_chunk,
    .start_chunk = str_start_chunk,
    .tick = str_tick,
    .end = str_end,
    .peak_macs = str_peak,
    .engine = str_engine,
};
