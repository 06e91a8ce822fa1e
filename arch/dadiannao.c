/*
** dadiannao.c - DaDianNao-style bit-parallel accelerator (Chen et al., MICRO 2014).
**
** Tiles x filters_per_tile PE rows (one filter each) share one activation brick of
** `lanes` channels per cycle: each PE multiplies `lanes` (activation, weight) pairs
** at the datapath width, reduces them with an adder tree and accumulates.
** Cycle rule: one brick step = one cycle, whatever the values. The precision-scaled
** variant (dadiannao8) has an 8-bit datapath and twice the lanes in the same SB
** interface width (16 filters x 32 lanes x 8 bits = 4096 bits per tile per cycle).
**
** Two executions of the same datapath:
**   loosely timed: ddn_run_chunk computes a whole pass (all windows of up to
**     `rows` filters) and returns its cycle count;
**   clocked: ddn_tick performs exactly one brick step per call over explicit PE
**     state (window, step, per-row accumulators).
** Outputs wrap to acc_bits like a two's-complement accumulator; an output whose
** exact value does not fit is counted in acc_overflows.
*/
#include <stdlib.h>
#include <string.h>

#include "arch/memory.h"

/* The typed spec: the shared fields (tiles, rows = filters per tile, lanes, acc_bits,
** clock, memories) and the datapath width. */
typedef struct QaDaDianNaoSpec {
  QaArchSpec base;
  int datapath_bits; /* multiplier operand width (bits) */
} QaDaDianNaoSpec;

#define DDN_ROWS(lanes, dp, acc, acc_help)                                                                  \
  QA_P_TILES(16, "tiles working in lock-step on one activation brick"),                                     \
      QA_P_ROWS(16, "PE rows per tile, one filter each (paper: 16)"),                                       \
      QA_P_LANES(lanes, "activation/weight pairs per PE per cycle (brick width)"),                          \
      QA_P_FIELD(QaDaDianNaoSpec, datapath_bits, QA_PT_INT, 2, 16, dp, "bits", "multiplier operand width"), \
      QA_P_ACC_BITS(acc, acc_help), QA_P_CLOCK(606, "clock frequency (paper: 606 MHz at 28 nm)"),           \
      QA_P_RESHAPE, QA_ONCHIP_PARAMS, QA_DRAM_PARAMS

static const QaParam ddn_params[] = {
    DDN_ROWS(16, 16, 48, "accumulator width (paper: 32; 48 keeps 16-bit dot products exact)")};
static const QaParam ddn8_params[] = {DDN_ROWS(32, 8, 32, "accumulator width")};

/* Component ids after the memory system's. */
enum { DDN_MULT = QA_C_COMMON, DDN_ADDER_TREE, DDN_ACC, DDN_WREG, DDN_PREG, DDN_AREG, DDN_N };

static const QaComponentDef ddn_comps[DDN_N] = {
    QA_MEM_COMPONENTS,
    [DDN_MULT] = {"mult", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_MULT,
                  "one multiplier per lane: activation x weight at the datapath width"},
    [DDN_ADDER_TREE] = {"adder_tree", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_ADDER_TREE,
                        "reduces the PE's lanes products (2*dp-bit inputs) to one sum"},
    [DDN_ACC] = {"acc", QA_CAT_ACCUMULATION, QA_SCOPE_PE, QA_PRIM_ACCUMULATOR,
                 "adds the tree's sum into the filter's output (partial sum register)"},
    [DDN_WREG] = {"wreg", QA_CAT_REGISTERS, QA_SCOPE_PE, QA_PRIM_REG,
                  "the PE's lanes weights from the SB row, latched every cycle the PE works"},
    [DDN_PREG] = {"preg", QA_CAT_REGISTERS, QA_SCOPE_PE, QA_PRIM_REG,
                  "pipeline register of the lanes products between the multipliers and the adder tree"},
    [DDN_AREG] = {"areg", QA_CAT_REGISTERS, QA_SCOPE_TILE, QA_PRIM_REG,
                  "the activation brick from NBin, latched every cycle and broadcast to the tile's PEs"},
};

/* A PE is one filter row of a tile: `lanes` dp x dp multipliers, an adder tree over the
** lanes' products (2*dp-bit inputs) and an acc_bits accumulator, with the registers of a
** pipelined datapath (the paper's NFU stages, assumed): the lanes weights latched at the PE
** input and the lanes products latched before the tree; per tile the activation brick
** latched at the NBin output and broadcast. Per tile: `rows` PEs,
** the SB (one row = every PE's lanes weights = rows x lanes x dp bits), NBin (one brick
** of lanes x dp bits per access), NBout (one output per PE = rows x dp bits); per chip
** the NM (one brick per access). The datapath is the same whatever the operands. */
static void ddn_inventory(const QaArchConfig *cfg, int a_bits, int w_bits, QaInventory *inv) {
  const QaDaDianNaoSpec *p = QA_SPEC(cfg, QaDaDianNaoSpec);
  const QaArchSpec *s = &p->base;
  int dp = p->datapath_bits;
  (void)a_bits, (void)w_bits;
  inv->tiles = s->tiles;
  inv->pes_per_tile = s->rows;
  inv->n_comp = DDN_N;
  qaMemInventory(s, s->rows * s->lanes * dp, s->lanes * dp, s->rows * dp, inv);
  inv->comp[DDN_MULT] = (QaComponent){.count = s->lanes, .bits_a = dp, .bits_b = dp};
  inv->comp[DDN_ADDER_TREE] = (QaComponent){.count = 1, .bits_a = 2 * dp, .n = s->lanes};
  inv->comp[DDN_ACC] = (QaComponent){.count = 1, .bits_a = s->acc_bits};
  inv->comp[DDN_WREG] = (QaComponent){.count = 1, .bits_a = s->lanes * dp};
  inv->comp[DDN_PREG] = (QaComponent){.count = 1, .bits_a = s->lanes * 2 * dp};
  inv->comp[DDN_AREG] = (QaComponent){.count = 1, .bits_a = s->lanes * dp};
}

static int ddn_hw_bits(const QaArchConfig *cfg) { return QA_SPEC(cfg, QaDaDianNaoSpec)->datapath_bits; }

struct QaExec {
  QaEngine e;
  QaLayerStats *st;
  int tiles, fpt, dp_bits, acc_bits;
  /* clocked state */
  const QaChunk *cur;
  int oy, ox;
  int64_t t;    /* brick step within the window */
  int64_t *acc; /* one accumulator per PE row */
};

static double ddn_peak(const QaArchConfig *cfg) {
  const QaArchSpec *s = &cfg->spec.base;
  return (double)s->tiles * s->rows * s->lanes;
}

static int ddn_check(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err) {
  int dp = QA_SPEC(cfg, QaDaDianNaoSpec)->datapath_bits;
  if (job->a_bits > dp || job->w_bits > dp)
    return qaErrSet(err, QA_EUSER,
                    "layer '%s': %s has a %d-bit datapath and cannot run %d-bit activations x %d-bit "
                    "weights; lower --bits or use an architecture with a wider datapath",
                    job->layer->name, cfg->desc->name, dp, job->a_bits, job->w_bits);
  return QA_OK;
}

static int ddn_begin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaExec **out,
                     QaErr *err) {
  QaExec *ex = qaCalloc(1, sizeof *ex, err);
  if (!ex) return QA_EINTERNAL;
  ex->st = st;
  const QaDaDianNaoSpec *p = QA_SPEC(cfg, QaDaDianNaoSpec);
  ex->tiles = p->base.tiles;
  ex->fpt = p->base.rows;
  ex->dp_bits = p->datapath_bits;
  ex->acc_bits = p->base.acc_bits;
  int rc = qaEngineInit(&ex->e, cfg, job, p->base.lanes, ex->tiles * ex->fpt, err);
  if (rc) {
    free(ex);
    return rc;
  }
  ex->e.a_store_bits = ex->e.w_store_bits = ex->e.o_store_bits = ex->dp_bits;
  ex->acc = qaCalloc((size_t)ex->e.rows, sizeof(int64_t), err);
  if (!ex->acc) {
    qaEngineFree(&ex->e);
    free(ex);
    return QA_EINTERNAL;
  }
  st->macs = qaJobMacs(job);
  st->effectual_terms = -1;
  *out = ex;
  return QA_OK;
}

static int64_t ddn_n_chunks(const QaExec *ex) { return ex->e.n_chunk; }

/* Action counts of one pass: identical in both timing modes. */
static void count_chunk(QaExec *ex, const QaChunk *c) {
  const QaEngine *e = &ex->e;
  int64_t windows = (int64_t)e->oh * e->ow;
  int64_t steps = windows * qaEngineStepsPerWindow(e);
  int64_t tiles_active = (c->nf + ex->fpt - 1) / ex->fpt;
  int dp = ex->dp_bits;
  QaLayerStats *st = ex->st;
  st->n_steps += steps;
  qaCount(st, DDN_MULT, QA_ACT_OP, steps * c->nf * e->lanes);
  qaCount(st, DDN_ADDER_TREE, QA_ACT_OP, steps * c->nf);
  qaCount(st, DDN_ACC, QA_ACT_OP, steps * c->nf);
  qaCount(st, DDN_WREG, QA_ACT_OP, steps * c->nf); /* registers: clocked in the cycles they work */
  qaCount(st, DDN_PREG, QA_ACT_OP, steps * c->nf);
  qaCount(st, DDN_AREG, QA_ACT_OP, steps * tiles_active);
  qaEngineCountBuffers(st, steps * e->lanes * dp, tiles_active, steps * c->nf * e->lanes * dp,
                       windows * c->nf * dp);
}

static inline void put_output(QaExec *ex, const QaChunk *c, int f, int oy, int ox, int64_t exact) {
  qaEnginePut(&ex->e, ex->acc_bits, &ex->st->acc_overflows, c->img, f, oy, ox, exact);
}

static int64_t ddn_run_chunk(QaExec *ex, int64_t i) {
  QaEngine *e = &ex->e;
  const QaChunk *c = &e->chunks[i];
  qaEngineLoad(e, c);
  count_chunk(ex, c);
  qaEnginePassDots(e, c, ex->acc_bits, &ex->st->acc_overflows);
  return (int64_t)e->oh * e->ow * qaEngineStepsPerWindow(e);
}

static void ddn_start_chunk(QaExec *ex, int64_t i) {
  QaEngine *e = &ex->e;
  ex->cur = &e->chunks[i];
  qaEngineLoad(e, ex->cur);
  count_chunk(ex, ex->cur);
  ex->oy = ex->ox = 0;
  ex->t = 0;
  memset(ex->acc, 0, (size_t)e->rows * sizeof(int64_t));
}

/* One clock: every active PE row consumes one brick (lanes products, adder tree,
** accumulate). Returns 0 after the chunk's last brick step. */
static int ddn_tick(QaExec *ex) {
  QaEngine *e = &ex->e;
  const QaChunk *c = ex->cur;
  const QaLayer *l = e->l;
  int per_r = l->s * e->cb;
  int r = (int)(ex->t / per_r), rem = (int)(ex->t % per_r);
  int s = rem / e->cb, b = rem % e->cb;
  int64_t off = (int64_t)s * e->cpad + (int64_t)b * e->lanes;
  const int32_t *a = qaEngineActRow(e, ex->oy, ex->ox, r) + off;
  for (int j = 0; j < c->nf; j++) {
    const int32_t *w = qaEngineWgtRow(e, c->f0 + j, r) + off;
    int64_t tree = 0;
    for (int lane = 0; lane < e->lanes; lane++) tree += (int64_t)a[lane] * w[lane];
    ex->acc[j] += tree;
  }
  if (++ex->t < qaEngineStepsPerWindow(e)) return 1;
  for (int j = 0; j < c->nf; j++) {
    put_output(ex, c, c->f0 + j, ex->oy, ex->ox, ex->acc[j]);
    ex->acc[j] = 0;
  }
  ex->t = 0;
  if (++ex->ox == e->ow) {
    ex->ox = 0;
    if (++ex->oy == e->oh) return 0;
  }
  return 1;
}

static void ddn_end(QaExec *ex, int64_t n_cycles) {
  if (!ex) return;
  QaLayerStats *st = ex->st;
  double peak = (double)ex->tiles * ex->fpt * ex->e.lanes;
  st->pe_util = n_cycles > 0 ? (double)st->macs / (peak * (double)n_cycles) : 0;
  qaEngineFree(&ex->e);
  free(ex->acc);
  free(ex);
}

static const QaEngine *ddn_engine(const QaExec *ex) { return &ex->e; }

#define DDN_OPS                                                                                           \
  .spec_size = sizeof(QaDaDianNaoSpec), .comps = ddn_comps, .n_comps = DDN_N, .inventory = ddn_inventory, \
  .hw_bits = ddn_hw_bits, .check = ddn_check, .begin = ddn_begin, .n_chunks = ddn_n_chunks,               \
  .run_chunk = ddn_run_chunk, .start_chunk = ddn_start_chunk, .tick = ddn_tick, .end = ddn_end,           \
  .peak_macs = ddn_peak, .engine = ddn_engine

const QaArchDesc qaArchDaDianNao = {
    .name = "dadiannao",
    .summary =
        "DaDianNao bit-parallel baseline: 16 tiles x 16 filters x 16 lanes, 16-bit datapath, 1 cycle per "
        "brick",
    .params = ddn_params,
    .n_params = (int)(sizeof ddn_params / sizeof ddn_params[0]),
    DDN_OPS,
};

const QaArchDesc qaArchDaDianNao8 = {
    .name = "dadiannao8",
    .summary = "precision-scaled DaDianNao: 8-bit datapath, 32 lanes in the same 4096-bit SB interface",
    .params = ddn8_params,
    .n_params = (int)(sizeof ddn8_params / sizeof ddn8_params[0]),
    DDN_OPS,
};
