/*
** test_toyarch.c - adding an architecture touches only its own code (issue 7).
**
** A toy accelerator is written here in full, as a new file pair in arch/ would hold it:
** a typed spec, its parameter table, its component table and inventory, a kernel with
** both timing modes, and a descriptor. Nothing else in the tree is changed for it: the
** config loader sets its fields, the SystemC-free driver runs it, the memory system
** plans its DRAM traffic, and the cost model composes and prices it by component id.
** (To list it in `qasim archs` and run it from the command line, it would also get one
** row in arch/registry.c.)
**
** The toy: `rows` PEs of `lanes` multipliers each, one brick per cycle, its multipliers
** `mult_bits` wide; a PE also has a `skip` register that counts zero activations. The
** expectations are worked by hand on a 2-filter fc layer of 20 inputs.
*/
#include <string.h>

#include "arch/driver.h"
#include "arch/memory.h"
#include "models/energy.h"
#include "modeltest.h"
#include "qatest.h"

/* ---- the toy architecture (what arch/toy.c would contain) ------------------------ */

typedef struct ToySpec {
  QaArchSpec base;
  int mult_bits; /* multiplier operand width (bits) */
} ToySpec;

static const QaParam toyParams[] = {
    QA_P_TILES(1, "tiles"),
    QA_P_ROWS(2, "PEs, one filter each"),
    QA_P_LANES(8, "multipliers per PE (brick width)"),
    QA_P_FIELD(ToySpec, mult_bits, QA_PT_INT, 2, 16, 8, "bits", "multiplier width"),
    QA_P_ACC_BITS(32, "accumulator width"),
    QA_P_CLOCK(500, "clock"),
    QA_ONCHIP_PARAMS,
    QA_DRAM_PARAMS,
};

enum { TOY_MULT = QA_C_COMMON, TOY_ACC, TOY_SKIP, TOY_N };
static const QaComponentDef toyComps[TOY_N] = {
    QA_MEM_COMPONENTS,
    [TOY_MULT] = {"mult", QA_CAT_DATAPATH, QA_SCOPE_PE, QA_PRIM_MULT, "one per lane"},
    [TOY_ACC] = {"acc", QA_CAT_ACCUMULATION, QA_SCOPE_PE, QA_PRIM_ACCUMULATOR,
                 "sums a brick into the output"},
    [TOY_SKIP] = {"skip", QA_CAT_REGISTERS, QA_SCOPE_PE, QA_PRIM_REG, "counts zero activations"},
};

static void toyInventory(const QaArchConfig *cfg, int a_bits, int w_bits, QaInventory *inv) {
  const ToySpec *p = QA_SPEC(cfg, ToySpec);
  (void)a_bits, (void)w_bits;
  inv->tiles = p->base.tiles;
  inv->pes_per_tile = p->base.rows;
  inv->n_comp = TOY_N;
  qaMemInventory(&p->base, p->base.rows * p->base.lanes * p->mult_bits, p->base.lanes * p->mult_bits,
                 p->base.rows * p->mult_bits, inv);
  inv->comp[TOY_MULT] = (QaComponent){.count = p->base.lanes, .bits_a = p->mult_bits, .bits_b = p->mult_bits};
  inv->comp[TOY_ACC] = (QaComponent){.count = 1, .bits_a = p->base.acc_bits};
  inv->comp[TOY_SKIP] = (QaComponent){.count = 1, .bits_a = 8};
}

struct QaExec {
  QaEngine e;
  QaLayerStats *st;
  int acc_bits;
  const QaChunk *cur; /* clocked: chunk, window and step in progress */
  int64_t win, t, *acc;
};

static int toyCheck(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err) {
  int mb = QA_SPEC(cfg, ToySpec)->mult_bits;
  if (job->a_bits > mb || job->w_bits > mb)
    return qaErrSet(err, QA_EUSER, "toy: operands wider than mult_bits");
  return QA_OK;
}

static int toyBegin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaExec **out,
                    QaErr *err) {
  const ToySpec *p = QA_SPEC(cfg, ToySpec);
  QaExec *ex = qaCalloc(1, sizeof *ex, err);
  if (!ex) return QA_EINTERNAL;
  ex->st = st;
  ex->acc_bits = p->base.acc_bits;
  int rc = qaEngineInit(&ex->e, cfg, job, p->base.lanes, p->base.tiles * p->base.rows, err);
  ex->acc = qaCalloc((size_t)p->base.rows * p->base.tiles, sizeof(int64_t), err);
  if (rc || !ex->acc) {
    qaEngineFree(&ex->e);
    free(ex->acc);
    free(ex);
    return rc ? rc : QA_EINTERNAL;
  }
  st->macs = qaLayerMacs(job->layer);
  st->effectual_terms = -1;
  *out = ex;
  return QA_OK;
}

static int64_t toyNChunks(const QaExec *ex) { return ex->e.n_chunk; }
static const QaEngine *toyEngine(const QaExec *ex) { return &ex->e; }
static double toyPeak(const QaArchConfig *cfg) { return (double)cfg->spec.base.rows * cfg->spec.base.lanes; }

static int64_t toySteps(const QaExec *ex) { return qaEngineWindows(&ex->e) * qaEngineStepsPerWindow(&ex->e); }

/* Counts of a chunk: identical in both modes. */
static void toyCount(QaExec *ex, const QaChunk *c) {
  const QaEngine *e = &ex->e;
  int64_t steps = toySteps(ex), zeros = 0;
  for (int64_t i = 0; i < (int64_t)e->hp * e->wp * e->cpad; i++) zeros += e->act[i] == 0;
  ex->st->n_steps += steps;
  qaCount(ex->st, TOY_MULT, QA_ACT_OP, steps * c->nf * e->lanes);
  qaCount(ex->st, TOY_ACC, QA_ACT_OP, steps * c->nf);
  qaCount(ex->st, TOY_SKIP, QA_ACT_OP, zeros);
  qaEngineCountBuffers(ex->st, steps * e->lanes * 8, 1, steps * c->nf * e->lanes * 8,
                       qaEngineWindows(e) * c->nf * 8);
}

static int64_t toyRunChunk(QaExec *ex, int64_t i) {
  const QaChunk *c = &ex->e.chunks[i];
  qaEngineLoad(&ex->e, c);
  toyCount(ex, c);
  qaEnginePassDots(&ex->e, c, ex->acc_bits, &ex->st->acc_overflows);
  return toySteps(ex);
}

static void toyStart(QaExec *ex, int64_t i) {
  ex->cur = &ex->e.chunks[i];
  qaEngineLoad(&ex->e, ex->cur);
  toyCount(ex, ex->cur);
  ex->win = ex->t = 0;
  memset(ex->acc, 0, (size_t)ex->e.rows * sizeof(int64_t));
}

/* One cycle: every filter of the chunk takes one brick of the current window. */
static int toyTick(QaExec *ex) {
  QaEngine *e = &ex->e;
  const QaLayer *l = e->l;
  const QaChunk *c = ex->cur;
  int oy = (int)(ex->win / e->ow), ox = (int)(ex->win % e->ow);
  int per_r = l->s * e->cb, r = (int)(ex->t / per_r), rem = (int)(ex->t % per_r);
  int64_t off = (int64_t)(rem / e->cb) * e->cpad + (int64_t)(rem % e->cb) * e->lanes;
  for (int f = 0; f < c->nf; f++)
    ex->acc[f] +=
        qaEngineDot(qaEngineActRow(e, oy, ox, r) + off, qaEngineWgtRow(e, c->f0 + f, r) + off, e->lanes);
  if (++ex->t < qaEngineStepsPerWindow(e)) return 1;
  for (int f = 0; f < c->nf; f++) {
    qaEnginePut(e, ex->acc_bits, &ex->st->acc_overflows, c->img, c->f0 + f, oy, ox, ex->acc[f]);
    ex->acc[f] = 0;
  }
  ex->t = 0;
  return ++ex->win < qaEngineWindows(e);
}

static void toyEnd(QaExec *ex, int64_t n_cycles) {
  ex->st->pe_util = n_cycles ? (double)ex->st->macs / ((double)ex->e.rows * ex->e.lanes * n_cycles) : 0;
  qaEngineFree(&ex->e);
  free(ex->acc);
  free(ex);
}

static const QaArchDesc toyArch = {
    .name = "toy",
    .summary = "a toy bit-parallel accelerator",
    .params = toyParams,
    .n_params = (int)(sizeof toyParams / sizeof toyParams[0]),
    .spec_size = sizeof(ToySpec),
    .comps = toyComps,
    .n_comps = TOY_N,
    .inventory = toyInventory,
    .check = toyCheck,
    .begin = toyBegin,
    .n_chunks = toyNChunks,
    .run_chunk = toyRunChunk,
    .start_chunk = toyStart,
    .tick = toyTick,
    .end = toyEnd,
    .peak_macs = toyPeak,
    .engine = toyEngine,
};

/* ---- the rest of qasim takes it as it is ------------------------------------------- */

int main(void) {
  QaErr err = {0, ""};
  QaArchConfig cfg;
  qaCfgDefaults(&toyArch, &cfg);
  /* the loader sets typed fields through the table */
  CHECK_EQ_I64(qaCfgSetText(&cfg, "lanes", "4", "test", &err), QA_OK);
  CHECK_EQ_I64(qaCfgSetText(&cfg, "mult_bits", "6", "test", &err), QA_OK);
  CHECK_EQ_I64(qaCfgSetText(&cfg, "mult_bits", "17", "test", &err), QA_EUSER);
  CHECK(cfg.spec.base.lanes == 4 && QA_SPEC(&cfg, ToySpec)->mult_bits == 6 && cfg.spec.base.rows == 2);
  char *text = qaCfgToYaml(&cfg);
  CHECK(text && strstr(text, "arch: toy\n") && strstr(text, "mult_bits: 6\n"));
  free(text);

  /* An fc layer of 20 inputs and 2 outputs on 4 lanes: ceil(20/4) = 5 bricks, one pass
  ** of both filters, 5 cycles; 40 multiplier ops and 10 accumulations; activations
  ** 0..19 with 0, 5, 10, 15 set to zero -> 4 zeros (the brick padding adds none). */
  QaLayer l = {"fc", QA_LAYER_FC, 1, 20, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
  int32_t act[20], wgt[40];
  for (int i = 0; i < 20; i++) act[i] = i % 5 ? i : 0;
  for (int i = 0; i < 40; i++) wgt[i] = i < 20 ? 1 : -2;
  QaLayerJob job = {&l, act, wgt, 6, 6, 0, QA_ENC_BOOTH4, NULL};
  QaLayerStats st;
  CHECK(mtRunBoth(&cfg, &job, &st)); /* both modes agree, outputs equal the reference */
  CHECK_EQ_I64(st.n_compute_cycles, 5);
  CHECK_EQ_I64(mtAction(&cfg, &st, "mult", "op"), 40);
  CHECK_EQ_I64(mtAction(&cfg, &st, "acc", "op"), 10);
  CHECK_EQ_I64(mtAction(&cfg, &st, "skip", "op"), 4);

  /* the cost model composes and prices it by component id */
  QaCostTable *h = NULL;
  CHECK(qaCostTableLoad("horowitz45", &h, &err) == QA_OK);
  QaComposition cx;
  QaComposeOptions o = {6, 6, NULL};
  CHECK_MSG(h && qaCompose(&cfg, h, &o, &cx, &err) == QA_OK, "%s", err.msg);
  QaEnergy e;
  CHECK_MSG(qaEnergyPriceLayer(&cx, &st, 6, 6, 1, &e, &err) == QA_OK, "%s", err.msg);
  int mult = qaComposeFind(&cx, "mult");
  CHECK(mult == TOY_MULT && cx.comp[mult].size.bits_a == 6);
  double mult_pj = 0;
  for (int i = 0; i < e.n_items; i++)
    if (e.item[i].id == TOY_MULT) mult_pj = e.item[i].energy_pj;
  CHECK(mult_pj > 0 && mult_pj == 40 * cx.comp[mult].op.energy);
  CHECK(qaEnergyCategoryPj(&e, QA_CAT_REGISTERS) > 0);
  CHECK(cx.pe_area_um2 > 0 && cx.chip_area_um2 > cx.pe_area_um2);
  qaCostTableDestroy(h);
  return TEST_DONE();
}
